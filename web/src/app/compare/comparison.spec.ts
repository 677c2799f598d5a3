import { convertToParamMap } from '@angular/router';

import { EMPTY_FILTERS } from '../filters/filters';
import {
  comparisonFromParams,
  comparisonToParams,
  describe as describeSelection,
  selectionB,
} from './comparison';

describe('a comparison in the URL', () => {
  it('reads B as replacements of A and writes them back', () => {
    const params = { make: 'Cessna', year: '1995', compare: '1', 'b.make': 'Piper' };
    const c = comparisonFromParams(convertToParamMap(params));
    expect(c).toEqual({ on: true, b: { make: 'Piper' } });
    expect(comparisonToParams(c)).toEqual({ compare: '1', 'b.make': 'Piper' });
    const a = { ...EMPTY_FILTERS, make: 'Cessna', year: 1995 };
    expect(selectionB(a, c.b)).toEqual({ ...a, make: 'Piper' });
  });

  it('replaces the whole time of A when B names one', () => {
    const c = comparisonFromParams(
      convertToParamMap({
        year: '1995',
        compare: '1',
        'b.from': '2010-01-01',
        'b.to': '2019-12-31',
      }),
    );
    expect(c.b).toEqual({ year: null, from: '2010-01-01', to: '2019-12-31' });
    const b = selectionB({ ...EMPTY_FILTERS, year: 1995 }, c.b);
    expect(b.year).toBeNull();
    expect(b.from).toBe('2010-01-01');
    expect(comparisonToParams(c)).toEqual({
      compare: '1',
      'b.from': '2010-01-01',
      'b.to': '2019-12-31',
    });
  });

  it('keeps an empty replacement as "any" and ignores unknown or malformed keys', () => {
    const c = comparisonFromParams(
      convertToParamMap({ compare: '1', 'b.make': '', 'b.nope': 'x', 'b.year': 'abc' }),
    );
    expect(c.b).toEqual({ make: null });
    expect(selectionB({ ...EMPTY_FILTERS, make: 'Cessna' }, c.b).make).toBeNull();
    expect(comparisonToParams(c)).toEqual({ compare: '1', 'b.make': '' });
  });

  it('is off without compare=1, and writes nothing then', () => {
    const c = comparisonFromParams(convertToParamMap({ 'b.make': 'Piper' }));
    expect(c.on).toBe(false);
    expect(comparisonToParams(c)).toEqual({});
  });

  it('describes a selection with the labels of its values', () => {
    const f = {
      ...EMPTY_FILTERS,
      make: 'Cessna',
      from: '1990-01-01',
      to: '1999-12-31',
      weather: 'IMC',
    };
    const label = (column: string, v: string) =>
      column === 'Weather.Condition' ? `Instrument (${v})` : v;
    expect(describeSelection(f, label)).toBe(
      'Cessna · 1990-01-01 to 1999-12-31 · Instrument (IMC)',
    );
    expect(describeSelection(EMPTY_FILTERS)).toBe('all events');
  });
});
