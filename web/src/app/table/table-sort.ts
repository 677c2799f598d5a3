import { Accident } from '../core/accident';

export type SortKey =
  | 'date'
  | 'location'
  | 'country'
  | 'make'
  | 'model'
  | 'severity'
  | 'fatal'
  | 'serious'
  | 'phase'
  | 'weather'
  | 'damage';

export interface SortState {
  readonly key: SortKey;
  readonly descending: boolean;
}

/** A stable sort of the rows, nulls last either way (as the API sorts). */
export function sortAccidents(rows: readonly Accident[], sort: SortState): Accident[] {
  const dir = sort.descending ? -1 : 1;
  return rows
    .map((a, i) => ({ a, i }))
    .sort((x, y) => {
      const u = x.a[sort.key];
      const v = y.a[sort.key];
      if (u === null && v === null) return x.i - y.i;
      if (u === null) return 1;
      if (v === null) return -1;
      const c =
        typeof u === 'number' && typeof v === 'number' ? u - v : String(u).localeCompare(String(v));
      return c !== 0 ? c * dir : x.i - y.i;
    })
    .map((e) => e.a);
}
