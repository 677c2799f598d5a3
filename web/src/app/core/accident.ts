/** The columns the app asks for (`fields=`), as the API's documentation spells them: the
 * categories as their canonical values (`Make:canonical`, docs/canonical-values.md), as the filters
 * and charts use them, and the make also as recorded. */
export const ACCIDENT_FIELDS = [
  'Event.Id',
  'Accident.Number',
  'Event.Date',
  'Location',
  'Country:canonical',
  'Latitude',
  'Longitude',
  'Make',
  'Make:canonical',
  'Model:canonical',
  'Aircraft.Category:canonical',
  'Injury.Severity:canonical',
  'Aircraft.Damage:canonical',
  'Broad.Phase.of.Flight:canonical',
  'Weather.Condition:canonical',
  'Total.Fatal.Injuries',
  'Total.Serious.Injuries',
  'Total.Minor.Injuries',
  'Total.Uninjured',
] as const;

/** One accident record, its members named independently of the datasheet's spelling. */
export interface Accident {
  readonly id: string;
  readonly number: string | null;
  readonly date: number | null; // ms since 1970 UTC
  readonly location: string | null;
  readonly country: string | null;
  readonly lat: number | null;
  readonly lon: number | null;
  readonly make: string | null; // canonical (`Cessna`)
  readonly makeRecorded: string | null; // as the datasheet spells it (`CESSNA AIRCRAFT CO`)
  readonly model: string | null;
  readonly category: string | null;
  readonly severity: string | null;
  readonly damage: string | null;
  readonly phase: string | null;
  readonly weather: string | null;
  readonly fatal: number;
  readonly serious: number;
  readonly minor: number;
  readonly uninjured: number;
}

/** Column names are matched like the API matches them: case, `.`, `_`, `-` and spaces ignored
 * (a `:canonical` or `:raw` suffix is kept). */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[._\- ]/g, '');
}

/** A record from `/api/query` (any spelling of its member names) as an Accident. */
export function toAccident(record: Record<string, unknown>): Accident {
  const m = new Map<string, unknown>();
  for (const [k, v] of Object.entries(record)) m.set(normalizeName(k), v);
  const member = (k: string) => {
    const v = m.get(normalizeName(k));
    return v === null || v === undefined ? null : String(v);
  };
  // the canonical value when the record has it, else the raw cell
  const text = (k: string) =>
    m.has(normalizeName(`${k}:canonical`)) ? member(`${k}:canonical`) : member(k);
  const num = (k: string) => {
    const v = m.get(normalizeName(k));
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  return {
    id: text('Event.Id') ?? '',
    number: text('Accident.Number'),
    date: num('Event.Date'),
    location: text('Location'),
    country: text('Country'),
    lat: num('Latitude'),
    lon: num('Longitude'),
    make: text('Make'),
    makeRecorded: member('Make'),
    model: text('Model'),
    category: text('Aircraft.Category'),
    severity: text('Injury.Severity'),
    damage: text('Aircraft.Damage'),
    phase: text('Broad.Phase.of.Flight'),
    weather: text('Weather.Condition'),
    fatal: num('Total.Fatal.Injuries') ?? 0,
    serious: num('Total.Serious.Injuries') ?? 0,
    minor: num('Total.Minor.Injuries') ?? 0,
    uninjured: num('Total.Uninjured') ?? 0,
  };
}

export type SeverityClass = 'fatal' | 'serious' | 'minor' | 'none' | 'unknown';

/** The colour class of an event: by its injuries, worst first. */
export function severityClass(a: Accident): SeverityClass {
  if (a.fatal > 0 || a.severity?.startsWith('Fatal')) return 'fatal';
  if (a.serious > 0) return 'serious';
  if (a.minor > 0) return 'minor';
  if (a.severity === null && a.uninjured === 0) return 'unknown';
  return 'none';
}

export const SEVERITY_COLORS: Record<SeverityClass, string> = {
  fatal: '#c62828',
  serious: '#ef6c00',
  minor: '#f9a825',
  none: '#2e7d32',
  unknown: '#757575',
};

export const SEVERITY_LABELS: Record<SeverityClass, string> = {
  fatal: 'Fatal',
  serious: 'Serious injuries',
  minor: 'Minor injuries',
  none: 'No injuries',
  unknown: 'Unknown',
};

export function hasCoordinates(a: Accident): boolean {
  return a.lat !== null && a.lon !== null;
}

/** `YYYY-MM-DD` of a date in ms (UTC), or an empty string. */
export function isoDate(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString().slice(0, 10);
}
