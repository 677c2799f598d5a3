import { TestBed } from '@angular/core/testing';

import { Totals } from '../core/api.service';
import { EMPTY_FILTERS } from '../filters/filters';
import { ComparePanel, percent } from './compare-panel';

const totals = (count: number, fatalEvents: number, low: number, high: number): Totals => ({
  count,
  fatalEvents,
  fatalShare: fatalEvents / count,
  fatalShareLow: low,
  fatalShareHigh: high,
  deaths: fatalEvents * 2,
  deathsPerEvent: (fatalEvents * 2) / count,
});

describe('ComparePanel', () => {
  function render(a: Totals | null, b: Totals | null) {
    const fixture = TestBed.createComponent(ComparePanel);
    const set = (name: string, value: unknown) => fixture.componentRef.setInput(name, value);
    set('a', { ...EMPTY_FILTERS, make: 'Cessna', year: 1990 });
    set('b', { ...EMPTY_FILTERS, make: 'Piper', year: 1990 });
    set('titleA', 'Cessna · 1990');
    set('titleB', 'Piper · 1990');
    set('totalsA', a);
    set('totalsB', b);
    set('years', [1991, 1990]);
    set('perYearB', [{ key: 1990, count: 12, fatal: 3 }]);
    set('options', { severity: [], category: [], phase: [], weather: [], make: [], country: [] });
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  it('shows both sides with counts and the fatal share with its interval', () => {
    const el = render(totals(263, 81, 0.2553, 0.3662), totals(100, 10, 0.0552, 0.1744));
    const a = el.querySelector('[data-testid=compare-a]')!;
    const b = el.querySelector('[data-testid=compare-b]')!;
    expect(a.querySelector('[data-testid=title]')!.textContent).toContain('Cessna · 1990');
    expect(a.querySelector('[data-testid=count]')!.textContent).toContain('263');
    expect(a.querySelector('[data-testid=fatal-share]')!.textContent).toMatch(
      /30\.8 %.*25\.5 %.*36\.6 %/s,
    );
    expect(b.querySelector('[data-testid=fatal-share]')!.textContent).toMatch(
      /10\.0 %.*5\.5 %.*17\.4 %/s,
    );
    expect(a.getAttribute('data-count')).toBe('263');
    // one scale for both: up to the higher bound rounded up to 5 %
    expect(el.querySelector('[data-testid=share-scale]')!.textContent).toContain('0 to 40.0 %');
    const interval = a.querySelector('.share-interval') as HTMLElement;
    expect(parseFloat(interval.style.left)).toBeCloseTo((100 * 0.2553) / 0.4, 5);
    // B is edited in its own side, with its own year picker and filters
    expect(b.querySelector('[data-testid=filter-make]')).not.toBeNull();
    expect(b.querySelector('[data-testid=year]')).not.toBeNull();
    expect(a.querySelector('[data-testid=filter-make]')).toBeNull();
  });

  it('says it is loading until the totals arrive, and shows a dash for undefined rates', () => {
    const el = render(null, {
      ...totals(1, 0, 0, 0.79),
      count: 0,
      fatalShare: null,
      fatalShareLow: null,
      fatalShareHigh: null,
      deathsPerEvent: null,
    });
    expect(el.querySelector('[data-testid=compare-a] .loading')).not.toBeNull();
    expect(
      el.querySelector('[data-testid=compare-b] [data-testid=fatal-share]')!.textContent,
    ).toContain('—');
    expect(el.querySelector('[data-testid=compare-b] .share-track')).toBeNull();
  });

  it('emits B’s changes and the end of the comparison', () => {
    const fixture = TestBed.createComponent(ComparePanel);
    const changes: unknown[] = [];
    fixture.componentInstance.changedB.subscribe((c) => changes.push(c));
    let closed = false;
    fixture.componentInstance.closed.subscribe(() => (closed = true));
    for (const [k, v] of Object.entries({
      a: EMPTY_FILTERS,
      b: EMPTY_FILTERS,
      titleA: 'A',
      titleB: 'B',
      years: [1990],
      perYearB: [],
      options: { severity: [], category: [], phase: [], weather: [], make: [], country: [] },
    })) {
      fixture.componentRef.setInput(k, v);
    }
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const make = el.querySelector(
      '[data-testid=compare-b] [data-testid=filter-make]',
    ) as HTMLInputElement;
    make.value = ' Piper ';
    make.dispatchEvent(new Event('change'));
    (el.querySelector('[data-testid=compare-close]') as HTMLButtonElement).click();
    expect(changes).toEqual([{ make: 'Piper' }]);
    expect(closed).toBe(true);
  });

  it('formats shares as percentages', () => {
    expect(percent(0.30798)).toBe('30.8 %');
    expect(percent(null)).toBe('—');
  });
});
