import { ParamMap, Params } from '@angular/router';

/** What the user selected; every member lives in the URL's query parameters. */
export interface Filters {
  readonly year: number | null; // year mode
  readonly from: string | null; // date-range mode (YYYY-MM-DD)
  readonly to: string | null;
  // The category filters hold canonical values (docs/canonical-values.md): `Fatal` is every
  // Fatal(n), `Cessna` every Cessna spelling; the API folds any spelling a user types.
  readonly severity: string | null;
  readonly category: string | null;
  readonly phase: string | null;
  readonly weather: string | null;
  readonly make: string | null;
  readonly model: string | null; // contains, case-insensitive, in the canonical models
  readonly fatalOnly: boolean;
  readonly country: string | null;
}

export const EMPTY_FILTERS: Filters = {
  year: null,
  from: null,
  to: null,
  severity: null,
  category: null,
  phase: null,
  weather: null,
  make: null,
  model: null,
  fatalOnly: false,
  country: null,
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Filters from the URL's query parameters; malformed values are ignored. */
export function filtersFromParams(p: ParamMap): Filters {
  const text = (k: string) => {
    const v = p.get(k)?.trim();
    return v ? v : null;
  };
  const yearText = text('year');
  const year = yearText && /^\d{1,4}$/.test(yearText) ? Number(yearText) : null;
  const from = text('from');
  const to = text('to');
  return {
    year,
    from: from && DATE.test(from) ? from : null,
    to: to && DATE.test(to) ? to : null,
    severity: text('severity'),
    category: text('category'),
    phase: text('phase'),
    weather: text('weather'),
    make: text('make'),
    model: text('model'),
    fatalOnly: p.get('fatal') === '1' || p.get('fatal') === 'true',
    country: text('country'),
  };
}

/** The query parameters of the app's URL for these filters (null members left out). */
export function filtersToParams(f: Filters): Params {
  const out: Params = {};
  const put = (k: string, v: string | number | null) => {
    if (v !== null && v !== '') out[k] = String(v);
  };
  put('year', f.year);
  put('from', f.from);
  put('to', f.to);
  put('severity', f.severity);
  put('category', f.category);
  put('phase', f.phase);
  put('weather', f.weather);
  put('make', f.make);
  put('model', f.model);
  if (f.fatalOnly) out['fatal'] = '1';
  put('country', f.country);
  return out;
}

/** True when the time selection is a date range rather than one year. */
export function isRangeMode(f: Filters): boolean {
  return f.year === null && (f.from !== null || f.to !== null);
}

/** The API parameters (`/api/query`, `/api/stats`) for the filters other than time. */
export function attributeParams(f: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.severity) out['Injury.Severity'] = f.severity;
  if (f.category) out['Aircraft.Category'] = f.category;
  if (f.phase) out['Broad.Phase.of.Flight'] = f.phase;
  if (f.weather) out['Weather.Condition'] = f.weather;
  if (f.make) out['Make'] = f.make;
  if (f.model) out['Model__contains'] = f.model;
  if (f.fatalOnly) out['Total.Fatal.Injuries__gt'] = '0';
  if (f.country) out['Country'] = f.country;
  return out;
}

/** The API parameters for all the filters, the time selection included. */
export function apiParams(f: Filters): Record<string, string> {
  const out = attributeParams(f);
  if (f.year !== null) out['year'] = String(f.year);
  else {
    if (f.from) out['from'] = f.from;
    if (f.to) out['to'] = f.to;
  }
  return out;
}

/** True when the selection has a time condition (the API refuses a /query without any). */
export function hasTime(f: Filters): boolean {
  return f.year !== null || f.from !== null || f.to !== null;
}
