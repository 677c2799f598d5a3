import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { ACCIDENT_FIELDS, Accident, normalizeName, toAccident } from './accident';
import { API_PREFIX } from './api-interceptor';
import { ConfigService } from './app-config';

/** One group of `/api/stats`: its key (null for empty cells, else a canonical value) and metrics. */
export interface StatRow {
  readonly key: string | number | null;
  readonly count: number;
  readonly fatal: number;
  /** The key's readable label (`Visual (VMC)` for `VMC`), when /api/schema gives one. */
  readonly label?: string;
}

/** A whole selection summarised by `/api/stats` without `group_by` (docs/api.md). */
export interface Totals {
  readonly count: number;
  /** Rows with at least one death. */
  readonly fatalEvents: number;
  /** fatalEvents / count with its 95 % Wilson score interval; null for an empty selection. */
  readonly fatalShare: number | null;
  readonly fatalShareLow: number | null;
  readonly fatalShareHigh: number | null;
  readonly deaths: number;
  readonly deathsPerEvent: number | null;
}

/** A canonical value of a column (docs/canonical-values.md) and the rows holding it. */
export interface CanonicalValue {
  readonly value: string;
  readonly label: string;
  readonly count: number;
}

export interface QueryResult {
  readonly rows: readonly Accident[];
  /** Matching rows on the server (X-Total-Count); more than rows.length when the answer was capped. */
  readonly total: number;
}

export interface ColumnSchema {
  readonly name: string;
  readonly type: string;
  readonly top?: readonly { value: string; count: number }[];
  readonly canonical?: {
    readonly distinct: number;
    readonly listed: number;
    readonly values: readonly CanonicalValue[];
  };
}

/** At most this many records are fetched for the map and table of one selection. */
export const MAX_ROWS = 50000;

/** The canonical values /api/schema lists per column for the filter choices (most rows first). */
export const SCHEMA_VALUES = 300;

const numberOrNull = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The accidents API (docs/api.md). Paths go through the API interceptor. */
@Injectable({ providedIn: 'root' })
export class ApiService {
  private readonly http = inject(HttpClient);
  private readonly config = inject(ConfigService);

  /** Years with events, newest first. */
  years(): Observable<number[]> {
    return this.http.get<number[]>(`${API_PREFIX}/years`);
  }

  /** The records matching the filters, with the fields the app shows. */
  query(params: Record<string, string>): Observable<QueryResult> {
    const httpParams = new HttpParams({
      fromObject: { ...params, fields: ACCIDENT_FIELDS.join(','), limit: String(MAX_ROWS) },
    });
    return this.http
      .get<Record<string, unknown>[]>(`${API_PREFIX}/query`, {
        params: httpParams,
        observe: 'response',
      })
      .pipe(
        map((r) => {
          const rows = (r.body ?? []).map(toAccident);
          const total = Number(r.headers.get('X-Total-Count') ?? rows.length);
          return { rows, total: Number.isFinite(total) ? total : rows.length };
        }),
      );
  }

  /** Counts and deaths per group of one key (`year`, a column). */
  stats(
    groupBy: string,
    params: Record<string, string>,
    extra: Record<string, string> = {},
  ): Observable<StatRow[]> {
    const httpParams = new HttpParams({
      fromObject: { ...params, ...extra, group_by: groupBy, metrics: 'count,fatal' },
    });
    const key = normalizeName(groupBy);
    return this.http
      .get<Record<string, unknown>[]>(`${API_PREFIX}/stats`, { params: httpParams })
      .pipe(
        map((rows) =>
          rows.map((row) => {
            let k: string | number | null = null;
            for (const [name, v] of Object.entries(row)) {
              if (normalizeName(name) === key) k = v === null ? null : (v as string | number);
            }
            return { key: k, count: Number(row['count'] ?? 0), fatal: Number(row['fatal'] ?? 0) };
          }),
        ),
      );
  }

  /** The whole selection: its events, fatal events and their share with its interval, deaths. */
  totals(params: Record<string, string>): Observable<Totals> {
    const httpParams = new HttpParams({
      fromObject: { ...params, metrics: 'count,fatal_events,fatal_share,fatal,deaths_per_event' },
    });
    return this.http
      .get<Record<string, unknown>[]>(`${API_PREFIX}/stats`, { params: httpParams })
      .pipe(
        map((rows) => {
          const r = rows[0] ?? {};
          return {
            count: Number(r['count'] ?? 0),
            fatalEvents: Number(r['fatal_events'] ?? 0),
            fatalShare: numberOrNull(r['fatal_share']),
            fatalShareLow: numberOrNull(r['fatal_share_low']),
            fatalShareHigh: numberOrNull(r['fatal_share_high']),
            deaths: Number(r['fatal'] ?? 0),
            deathsPerEvent: numberOrNull(r['deaths_per_event']),
          };
        }),
      );
  }

  /** Each column's type, most frequent values and canonical values (for the filter choices). */
  schema(): Observable<ColumnSchema[]> {
    return this.http
      .get<{ columns: ColumnSchema[] }>(`${API_PREFIX}/schema`, {
        params: new HttpParams({ fromObject: { values: String(SCHEMA_VALUES) } }),
      })
      .pipe(map((s) => s.columns ?? []));
  }

  /** A download link for the selection (`csv` or `geojson`), resolved against the API root. */
  downloadUrl(params: Record<string, string>, format: 'csv' | 'geojson'): string {
    const p = new HttpParams({ fromObject: { ...params, format } });
    return `${this.config.config().apiRoot}/query?${p.toString()}`;
  }
}
