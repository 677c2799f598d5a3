import { HttpBackend, HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

/** The runtime configuration, read from `config.json` at startup (never baked into the build). */
export interface AppConfig {
  /** Where the API answers, e.g. `/api` (same origin) or a gateway stage URL. */
  readonly apiRoot: string;
  /** `none`: the offline world-atlas basemap only; `osm`: OpenStreetMap tiles over it. */
  readonly tiles: 'none' | 'osm';
}

export const DEFAULT_CONFIG: AppConfig = { apiRoot: '/api', tiles: 'none' };

/** Validates a parsed `config.json`, falling back to the defaults member by member. */
export function parseConfig(raw: unknown): AppConfig {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const apiRoot =
    typeof o['apiRoot'] === 'string' && o['apiRoot'].length > 0
      ? o['apiRoot'].replace(/\/+$/, '')
      : DEFAULT_CONFIG.apiRoot;
  const tiles = o['tiles'] === 'osm' ? 'osm' : 'none';
  return { apiRoot, tiles };
}

@Injectable({ providedIn: 'root' })
export class ConfigService {
  // HttpBackend: config.json is not an API request and must not pass the API interceptor.
  private readonly http = new HttpClient(inject(HttpBackend));
  private readonly state = signal<AppConfig>(DEFAULT_CONFIG);
  readonly config = this.state.asReadonly();

  /** Loads `config.json` beside index.html; a missing or broken file keeps the defaults. */
  async load(): Promise<void> {
    try {
      const raw = await firstValueFrom(
        this.http.get<unknown>('config.json', { headers: { 'Cache-Control': 'no-cache' } }),
      );
      this.state.set(parseConfig(raw));
    } catch {
      this.state.set(DEFAULT_CONFIG);
    }
  }
}
