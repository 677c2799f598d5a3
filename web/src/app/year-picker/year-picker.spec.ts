import { TestBed } from '@angular/core/testing';

import { TimeSelection, YearPicker } from './year-picker';

describe('YearPicker', () => {
  it('lists years newest first with their counts and emits the chosen year', async () => {
    const fixture = TestBed.createComponent(YearPicker);
    fixture.componentRef.setInput('years', [1982, 2001, 1990]);
    fixture.componentRef.setInput('counts', [
      { key: 1982, count: 3593, fatal: 10 },
      { key: 2001, count: 12, fatal: 1 },
    ]);
    fixture.componentRef.setInput('year', 2001);
    await fixture.whenStable();
    const select: HTMLSelectElement = fixture.nativeElement.querySelector('select');
    const texts = [...select.options].map((o) => o.textContent?.trim());
    expect(texts).toEqual(['2001 (12)', '1990 (0)', '1982 (3,593)']);
    expect(select.value).toBe('2001');

    const emitted: TimeSelection[] = [];
    fixture.componentInstance.changed.subscribe((t) => emitted.push(t));
    select.value = '1982';
    select.dispatchEvent(new Event('change'));
    expect(emitted).toEqual([{ year: 1982, from: null, to: null }]);
  });

  it('switches to a date range covering the selected year', async () => {
    const fixture = TestBed.createComponent(YearPicker);
    fixture.componentRef.setInput('years', [1990]);
    fixture.componentRef.setInput('counts', []);
    fixture.componentRef.setInput('year', 1990);
    await fixture.whenStable();
    const emitted: TimeSelection[] = [];
    fixture.componentInstance.changed.subscribe((t) => emitted.push(t));
    const range: HTMLInputElement = fixture.nativeElement.querySelector('input[value=range]');
    range.dispatchEvent(new Event('change'));
    expect(emitted).toEqual([{ year: null, from: '1990-01-01', to: '1990-12-31' }]);
  });
});
