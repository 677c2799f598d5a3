import { ParamMap, Params, convertToParamMap } from '@angular/router';

import { EMPTY_FILTERS, Filters, filtersFromParams, filtersToParams } from '../filters/filters';

/** Compare mode: selection A is the dashboard's filters; B is A with some of them replaced. Both
 * live in the URL: `compare=1`, and B's replacements as `b.` + the filter's URL key
 * (`?make=Cessna&compare=1&b.make=Piper`; `b.from=2010-01-01&b.to=2019-12-31` for another period).
 * An empty `b.` value replaces A's filter by "any". */
export interface Comparison {
  readonly on: boolean;
  readonly b: Partial<Filters>;
}

export const NO_COMPARISON: Comparison = { on: false, b: {} };

const PREFIX = 'b.';
/** The filters' URL keys and the members they set (filtersToParams / filtersFromParams). */
const MEMBERS: Record<string, keyof Filters> = {
  year: 'year',
  from: 'from',
  to: 'to',
  severity: 'severity',
  category: 'category',
  phase: 'phase',
  weather: 'weather',
  make: 'make',
  model: 'model',
  fatal: 'fatalOnly',
  country: 'country',
};
const TIME: readonly (keyof Filters)[] = ['year', 'from', 'to'];

/** The comparison in the URL's query parameters; B's malformed values are ignored like A's. */
export function comparisonFromParams(p: ParamMap): Comparison {
  const keys = p.keys.filter((k) => k.startsWith(PREFIX) && k.slice(PREFIX.length) in MEMBERS);
  const stripped = convertToParamMap(
    Object.fromEntries(keys.map((k) => [k.slice(PREFIX.length), p.get(k) ?? ''])),
  );
  const parsed = filtersFromParams(stripped);
  const b: Partial<Record<keyof Filters, unknown>> = {};
  for (const k of keys) {
    const member = MEMBERS[k.slice(PREFIX.length)];
    b[member] = parsed[member];
  }
  // B's time is all of it or none of it (a malformed one is none)
  const time = TIME.some((t) => parsed[t] !== null);
  for (const t of TIME) {
    if (time) b[t] = parsed[t];
    else delete b[t];
  }
  return { on: p.get('compare') === '1', b: b as Partial<Filters> };
}

/** The query parameters of a comparison (none when it is off). */
export function comparisonToParams(c: Comparison): Params {
  if (!c.on) return {};
  const out: Params = { compare: '1' };
  const full = filtersToParams({ ...EMPTY_FILTERS, ...c.b });
  for (const [key, member] of Object.entries(MEMBERS)) {
    if (!(member in c.b)) continue;
    if (TIME.includes(member) && c.b[member] === null) continue; // unset parts of B's time
    out[PREFIX + key] = full[key] ?? '';
  }
  return out;
}

/** Selection B: A with B's replacements. */
export function selectionB(a: Filters, b: Partial<Filters>): Filters {
  return { ...a, ...b };
}

/** A short description of a selection: `Cessna · 1990-01-01 to 1999-12-31 · Landing`. */
export function describe(
  f: Filters,
  label: (column: string, value: string) => string = (_, v) => v,
): string {
  const parts: string[] = [];
  if (f.make) parts.push(label('Make', f.make));
  if (f.model) parts.push(`model contains ${f.model}`);
  if (f.year !== null) parts.push(String(f.year));
  else if (f.from || f.to) parts.push(`${f.from ?? '…'} to ${f.to ?? '…'}`);
  if (f.severity) parts.push(label('Injury.Severity', f.severity));
  if (f.category) parts.push(label('Aircraft.Category', f.category));
  if (f.phase) parts.push(label('Broad.Phase.of.Flight', f.phase));
  if (f.weather) parts.push(label('Weather.Condition', f.weather));
  if (f.country) parts.push(label('Country', f.country));
  if (f.fatalOnly) parts.push('fatal only');
  return parts.length ? parts.join(' · ') : 'all events';
}
