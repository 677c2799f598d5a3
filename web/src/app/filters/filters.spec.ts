import { convertToParamMap } from '@angular/router';

import {
  EMPTY_FILTERS,
  apiParams,
  attributeParams,
  filtersFromParams,
  filtersToParams,
  hasTime,
  isRangeMode,
} from './filters';

describe('filters in the URL', () => {
  it('round-trips through query parameters', () => {
    const f = {
      ...EMPTY_FILTERS,
      year: 1982,
      severity: 'Fatal',
      phase: 'Landing',
      make: 'cessna',
      fatalOnly: true,
      country: 'United States',
    };
    const params = filtersToParams(f);
    expect(params).toEqual({
      year: '1982',
      severity: 'Fatal',
      phase: 'Landing',
      make: 'cessna',
      fatal: '1',
      country: 'United States',
    });
    expect(filtersFromParams(convertToParamMap(params))).toEqual(f);
  });

  it('ignores malformed values', () => {
    const f = filtersFromParams(
      convertToParamMap({ year: 'abc', from: '1/2/1990', weather: '  ' }),
    );
    expect(f).toEqual(EMPTY_FILTERS);
    expect(hasTime(f)).toBe(false);
  });

  it('knows the date-range mode', () => {
    const f = filtersFromParams(convertToParamMap({ from: '1990-01-01', to: '1990-06-30' }));
    expect(isRangeMode(f)).toBe(true);
    expect(apiParams(f)).toEqual({ from: '1990-01-01', to: '1990-06-30' });
  });
});

describe('filters as API parameters', () => {
  it('maps each filter to the API’s filters on canonical values', () => {
    const f = {
      ...EMPTY_FILTERS,
      year: 2001,
      severity: 'Fatal',
      category: 'Airplane',
      phase: 'Cruise',
      weather: 'IMC',
      make: 'piper',
      model: 'PA-28',
      fatalOnly: true,
      country: 'Canada',
    };
    expect(apiParams(f)).toEqual({
      year: '2001',
      'Injury.Severity': 'Fatal',
      'Aircraft.Category': 'Airplane',
      'Broad.Phase.of.Flight': 'Cruise',
      'Weather.Condition': 'IMC',
      Make: 'piper',
      Model__contains: 'PA-28',
      'Total.Fatal.Injuries__gt': '0',
      Country: 'Canada',
    });
    expect(attributeParams(f)['year']).toBeUndefined();
    expect(attributeParams({ ...EMPTY_FILTERS, severity: 'Incident' })).toEqual({
      'Injury.Severity': 'Incident',
    });
  });
});
