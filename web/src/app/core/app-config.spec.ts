import { TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';

import { ConfigService, DEFAULT_CONFIG, parseConfig } from './app-config';

describe('parseConfig', () => {
  it('reads apiRoot and tiles, trimming a trailing slash', () => {
    expect(parseConfig({ apiRoot: 'https://x.example/prod/', tiles: 'osm' })).toEqual({
      apiRoot: 'https://x.example/prod',
      tiles: 'osm',
    });
  });
  it('falls back to the defaults member by member', () => {
    expect(parseConfig(null)).toEqual(DEFAULT_CONFIG);
    expect(parseConfig({ apiRoot: 3, tiles: 'google' })).toEqual(DEFAULT_CONFIG);
  });
});

describe('ConfigService', () => {
  it('loads config.json at run time and keeps the defaults when it is missing', async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    const service = TestBed.inject(ConfigService);
    const http = TestBed.inject(HttpTestingController);

    const loaded = service.load();
    http.expectOne('config.json').flush({ apiRoot: '/v2', tiles: 'osm' });
    await loaded;
    expect(service.config()).toEqual({ apiRoot: '/v2', tiles: 'osm' });

    const failed = service.load();
    http.expectOne('config.json').flush('no', { status: 404, statusText: 'Not Found' });
    await failed;
    expect(service.config()).toEqual(DEFAULT_CONFIG);
    http.verify();
  });
});
