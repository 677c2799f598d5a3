import { Accident, toAccident } from '../core/accident';
import { sortAccidents } from './table-sort';

const a = (id: string, make: string | null, fatal: number): Accident =>
  toAccident({ 'Event.Id': id, Make: make, 'Total.Fatal.Injuries': fatal });

describe('sortAccidents', () => {
  const rows = [a('1', 'Piper', 0), a('2', null, 3), a('3', 'Beech', 1), a('4', 'Piper', 2)];

  it('sorts text ascending with nulls last, stably', () => {
    expect(sortAccidents(rows, { key: 'make', descending: false }).map((r) => r.id)).toEqual([
      '3',
      '1',
      '4',
      '2',
    ]);
  });

  it('sorts numbers descending', () => {
    expect(sortAccidents(rows, { key: 'fatal', descending: true }).map((r) => r.id)).toEqual([
      '2',
      '4',
      '3',
      '1',
    ]);
  });

  it('keeps nulls last when descending', () => {
    expect(sortAccidents(rows, { key: 'make', descending: true }).map((r) => r.id)).toEqual([
      '1',
      '4',
      '3',
      '2',
    ]);
  });
});
