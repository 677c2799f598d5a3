import { TestBed } from '@angular/core/testing';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { firstValueFrom } from 'rxjs';

import { toAccident } from './accident';
import { ApiService, MAX_ROWS, SCHEMA_VALUES } from './api.service';
import { ApiError } from './api-error';
import { apiInterceptor } from './api-interceptor';
import { ConfigService } from './app-config';

describe('ApiService', () => {
  let api: ApiService;
  let http: HttpTestingController;

  async function useConfig(body: object) {
    const loaded = TestBed.inject(ConfigService).load();
    http.expectOne('config.json').flush(body);
    await loaded;
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    api = TestBed.inject(ApiService);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('asks /api/years under the configured API root', async () => {
    await useConfig({ apiRoot: 'https://gw.example/prod' });
    const years = firstValueFrom(api.years());
    http.expectOne('https://gw.example/prod/years').flush([2022, 2021]);
    expect(await years).toEqual([2022, 2021]);
  });

  it('queries with the filters, the app fields and a cap, whatever the datasheet spelling', async () => {
    const result = firstValueFrom(api.query({ year: '1982', 'Broad.Phase.of.Flight': 'Landing' }));
    const req = http.expectOne((r) => r.url === '/api/query');
    expect(req.request.params.get('year')).toBe('1982');
    expect(req.request.params.get('Broad.Phase.of.Flight')).toBe('Landing');
    expect(req.request.params.get('fields')).toContain('Event.Date');
    expect(req.request.params.get('limit')).toBe(String(MAX_ROWS));
    req.flush(
      [
        {
          'Event.Id': 'E1',
          'Event.Date': 378691200000,
          'Broad.phase.of.flight': 'Landing',
          'Aircraft.damage': 'Destroyed',
          Latitude: 39.5,
          Longitude: -104.8,
          'Total.Fatal.Injuries': 2,
          'Total.Serious.Injuries': null,
        },
      ],
      { headers: { 'X-Total-Count': '7' } },
    );
    const { rows, total } = await result;
    expect(total).toBe(7);
    expect(rows[0]).toMatchObject({
      id: 'E1',
      phase: 'Landing',
      damage: 'Destroyed',
      lat: 39.5,
      fatal: 2,
      serious: 0,
    });
  });

  it('reads a stats group by its key, in any spelling', async () => {
    const result = firstValueFrom(api.stats('Broad.Phase.of.Flight', { year: '1982' }));
    const req = http.expectOne((r) => r.url === '/api/stats');
    expect(req.request.params.get('group_by')).toBe('Broad.Phase.of.Flight');
    expect(req.request.params.get('metrics')).toBe('count,fatal');
    req.flush([
      { 'Broad.phase.of.flight': 'Cruise', count: 120, fatal: 52 },
      { 'Broad.phase.of.flight': null, count: 5, fatal: 4 },
    ]);
    expect(await result).toEqual([
      { key: 'Cruise', count: 120, fatal: 52 },
      { key: null, count: 5, fatal: 4 },
    ]);
  });

  it('sums up a whole selection with its fatal share and interval', async () => {
    const result = firstValueFrom(api.totals({ Make: 'Cessna', year: '1990' }));
    const req = http.expectOne((r) => r.url === '/api/stats');
    expect(req.request.params.get('group_by')).toBeNull();
    expect(req.request.params.get('Make')).toBe('Cessna');
    expect(req.request.params.get('metrics')).toBe(
      'count,fatal_events,fatal_share,fatal,deaths_per_event',
    );
    req.flush([
      {
        count: 263,
        fatal_events: 81,
        fatal_share: 0.30798,
        fatal_share_low: 0.25529,
        fatal_share_high: 0.36621,
        fatal: 150,
        deaths_per_event: 0.57,
      },
    ]);
    expect(await result).toEqual({
      count: 263,
      fatalEvents: 81,
      fatalShare: 0.30798,
      fatalShareLow: 0.25529,
      fatalShareHigh: 0.36621,
      deaths: 150,
      deathsPerEvent: 0.57,
    });
  });

  it('reads an empty selection’s undefined rates as null', async () => {
    const result = firstValueFrom(api.totals({ Make: 'Nobody' }));
    http
      .expectOne((r) => r.url === '/api/stats')
      .flush([
        {
          count: 0,
          fatal_events: 0,
          fatal_share: null,
          fatal_share_low: null,
          fatal_share_high: null,
          fatal: 0,
          deaths_per_event: null,
        },
      ]);
    expect(await result).toMatchObject({
      count: 0,
      fatalShare: null,
      fatalShareLow: null,
      deathsPerEvent: null,
    });
  });

  it('asks the schema for the canonical values of the filter choices', async () => {
    const result = firstValueFrom(api.schema());
    const req = http.expectOne((r) => r.url === '/api/schema');
    expect(req.request.params.get('values')).toBe(String(SCHEMA_VALUES));
    req.flush({
      columns: [
        {
          name: 'Weather.Condition',
          type: 'category',
          canonical: {
            distinct: 3,
            listed: 1,
            values: [{ value: 'VMC', label: 'Visual (VMC)', count: 9 }],
          },
        },
      ],
    });
    expect((await result)[0].canonical?.values[0].label).toBe('Visual (VMC)');
  });

  it('reads canonical members of a record before the raw ones, and keeps the recorded make', () => {
    const a = toAccident({
      'Event.Id': 'E1',
      Make: 'CESSNA AIRCRAFT CO',
      'Make:canonical': 'Cessna',
      'Injury.Severity:canonical': 'Fatal',
      'Broad.Phase.of.Flight:canonical': null,
      'Broad.phase.of.flight': 'LANDING',
    });
    expect(a.make).toBe('Cessna');
    expect(a.makeRecorded).toBe('CESSNA AIRCRAFT CO');
    expect(a.severity).toBe('Fatal');
    expect(a.phase).toBeNull(); // the canonical member answers, even null
  });

  it('maps a 429 from the gateway to a clear message', async () => {
    const result = firstValueFrom(api.years());
    http
      .expectOne('/api/years')
      .flush({ message: 'Too Many Requests' }, { status: 429, statusText: 'Too Many Requests' });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect((error as ApiError).message).toMatch(/Too many requests \(429\).*rate limit/);
  });

  it('maps a 403 and passes the API’s own 400 message on', async () => {
    const forbidden = firstValueFrom(api.years()).catch((e: unknown) => e as ApiError);
    http
      .expectOne('/api/years')
      .flush({ message: 'Forbidden' }, { status: 403, statusText: 'Forbidden' });
    expect(((await forbidden) as ApiError).message).toMatch(/403 Forbidden/);

    const bad = firstValueFrom(api.stats('Nope', {})).catch((e: unknown) => e as ApiError);
    http
      .expectOne((r) => r.url === '/api/stats')
      .flush({ message: "unknown column 'Nope'" }, { status: 400, statusText: 'Bad Request' });
    expect(((await bad) as ApiError).message).toContain("unknown column 'Nope'");
  });

  it('says so when the API cannot be reached', async () => {
    const result = firstValueFrom(api.years()).catch((e: unknown) => e as ApiError);
    http.expectOne('/api/years').error(new ProgressEvent('error'));
    expect(((await result) as ApiError).message).toMatch(/Cannot reach/);
  });

  it('builds download links of the selection', () => {
    expect(api.downloadUrl({ year: '1982', 'Total.Fatal.Injuries__gt': '0' }, 'geojson')).toBe(
      '/api/query?year=1982&Total.Fatal.Injuries__gt=0&format=geojson',
    );
  });
});
