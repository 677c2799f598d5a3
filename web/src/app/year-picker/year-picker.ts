import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { DecimalPipe } from '@angular/common';

import { StatRow } from '../core/api.service';

export interface TimeSelection {
  readonly year: number | null;
  readonly from: string | null;
  readonly to: string | null;
}

/** One year (newest first, each with its count) or a date range. */
@Component({
  selector: 'app-year-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe],
  template: `
    <fieldset class="year-picker">
      <legend>When</legend>
      <div class="mode" role="radiogroup" aria-label="Time selection">
        <label
          ><input
            type="radio"
            [name]="name() + '-mode'"
            value="year"
            [checked]="!rangeMode()"
            (change)="toYearMode()"
          />
          One year</label
        >
        <label
          ><input
            type="radio"
            [name]="name() + '-mode'"
            value="range"
            [checked]="rangeMode()"
            (change)="toRangeMode()"
          />
          Date range</label
        >
      </div>
      @if (!rangeMode()) {
        <label>
          Year
          <select data-testid="year" (change)="pickYear($any($event.target).value)">
            @for (y of options(); track y.year) {
              <option [value]="y.year" [selected]="y.year === year()">
                {{ y.year }} ({{ y.count | number }})
              </option>
            }
          </select>
        </label>
      } @else {
        <label
          >From
          <input
            type="date"
            data-testid="from"
            [value]="from() ?? ''"
            (change)="pickRange($any($event.target).value, to())"
        /></label>
        <label
          >To
          <input
            type="date"
            data-testid="to"
            [value]="to() ?? ''"
            (change)="pickRange(from(), $any($event.target).value)"
        /></label>
      }
    </fieldset>
  `,
})
export class YearPicker {
  readonly years = input.required<readonly number[]>();
  /** Events per year (other filters applied), for the counts beside the years. */
  readonly counts = input.required<readonly StatRow[]>();
  readonly year = input<number | null>(null);
  readonly from = input<string | null>(null);
  readonly to = input<string | null>(null);
  readonly rangeMode = input(false);
  /** Prefix of the name of its radio group, unique in the page (compare mode has two pickers). */
  readonly name = input('time');
  readonly changed = output<TimeSelection>();

  protected readonly options = computed(() => {
    const byYear = new Map(this.counts().map((r) => [Number(r.key), r.count]));
    return [...this.years()]
      .sort((a, b) => b - a)
      .map((year) => ({ year, count: byYear.get(year) ?? 0 }));
  });

  protected pickYear(value: string): void {
    this.changed.emit({ year: Number(value), from: null, to: null });
  }

  protected pickRange(from: string | null, to: string | null): void {
    this.changed.emit({ year: null, from: from || null, to: to || null });
  }

  protected toRangeMode(): void {
    const y = this.year() ?? this.years()[0] ?? new Date().getUTCFullYear();
    this.changed.emit({ year: null, from: `${y}-01-01`, to: `${y}-12-31` });
  }

  protected toYearMode(): void {
    const y = this.from() ? Number(this.from()!.slice(0, 4)) : (this.years()[0] ?? null);
    this.changed.emit({ year: y, from: null, to: null });
  }
}
