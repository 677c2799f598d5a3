import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { DecimalPipe } from '@angular/common';

import { StatRow, Totals } from '../core/api.service';
import { FilterBar, FilterOptions } from '../filters/filter-bar';
import { Filters, isRangeMode } from '../filters/filters';
import { TimeSelection, YearPicker } from '../year-picker/year-picker';

/** One side of the comparison as shown. */
interface Side {
  readonly name: 'a' | 'b';
  readonly title: string;
  readonly totals: Totals | null;
}

/** A share as a percentage with one decimal, or a dash when undefined. */
export function percent(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : `${(share * 100).toFixed(1)} %`;
}

/** Two selections side by side (compare mode): A is the dashboard's filters, B is edited here.
 * Each shows its events, fatal events, the fatal share with its 95 % Wilson interval (from
 * /api/stats, drawn on one scale for both), deaths and deaths per event. */
@Component({
  selector: 'app-compare-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe, FilterBar, YearPicker],
  template: `
    <section class="compare" aria-label="Compare two selections" data-testid="compare">
      <div class="compare-head">
        <h2>Compare</h2>
        <button type="button" data-testid="compare-close" (click)="closed.emit()">
          Stop comparing
        </button>
      </div>
      <div class="compare-sides">
        @for (side of sides(); track side.name) {
          <article
            class="compare-side"
            [attr.data-testid]="'compare-' + side.name"
            [attr.data-count]="side.totals?.count"
            [attr.data-fatal-events]="side.totals?.fatalEvents"
            [attr.data-share]="side.totals?.fatalShare"
            [attr.data-low]="side.totals?.fatalShareLow"
            [attr.data-high]="side.totals?.fatalShareHigh"
          >
            <h3>
              <span class="side-name">{{ side.name === 'a' ? 'A' : 'B' }}</span>
              <span data-testid="title">{{ side.title }}</span>
            </h3>
            @if (side.totals; as t) {
              <dl class="figures">
                <dt>Events</dt>
                <dd data-testid="count">{{ t.count | number }}</dd>
                <dt>Fatal events</dt>
                <dd data-testid="fatal-events">{{ t.fatalEvents | number }}</dd>
                <dt>Fatal share</dt>
                <dd data-testid="fatal-share">
                  {{ pct(t.fatalShare) }}
                  <span class="ci"
                    >95 % CI {{ pct(t.fatalShareLow) }} – {{ pct(t.fatalShareHigh) }}</span
                  >
                </dd>
                <dt>Deaths</dt>
                <dd>{{ t.deaths | number }}</dd>
                <dt>Deaths per event</dt>
                <dd>
                  {{ t.deathsPerEvent === null ? '—' : (t.deathsPerEvent | number: '1.2-2') }}
                </dd>
              </dl>
              @if (t.fatalShare !== null) {
                <div
                  class="share-track"
                  role="img"
                  [attr.aria-label]="
                    'Fatal share ' +
                    pct(t.fatalShare) +
                    ', 95 % interval ' +
                    pct(t.fatalShareLow) +
                    ' to ' +
                    pct(t.fatalShareHigh)
                  "
                >
                  <div
                    class="share-interval"
                    [style.left.%]="position(t.fatalShareLow)"
                    [style.width.%]="position(t.fatalShareHigh) - position(t.fatalShareLow)"
                  ></div>
                  <div class="share-point" [style.left.%]="position(t.fatalShare)"></div>
                </div>
              }
            } @else {
              <p class="loading">Loading…</p>
            }
            @if (side.name === 'b') {
              <div class="compare-edit">
                <app-year-picker
                  [years]="years()"
                  [counts]="perYearB()"
                  [year]="b().year"
                  [from]="b().from"
                  [to]="b().to"
                  [rangeMode]="rangeModeB()"
                  name="b-time"
                  (changed)="pickTime($event)"
                />
                <app-filter-bar
                  [filters]="b()"
                  [options]="options()"
                  legend="Filters of B"
                  name="b"
                  (changed)="changedB.emit($event)"
                />
              </div>
            }
          </article>
        }
      </div>
      <p class="share-scale" data-testid="share-scale">
        Fatal share on one scale for both: 0 to {{ pct(scale()) }}. The bar is the 95 % Wilson score
        interval, the mark the share.
      </p>
    </section>
  `,
})
export class ComparePanel {
  readonly a = input.required<Filters>();
  readonly b = input.required<Filters>();
  readonly titleA = input.required<string>();
  readonly titleB = input.required<string>();
  readonly totalsA = input<Totals | null>(null);
  readonly totalsB = input<Totals | null>(null);
  readonly years = input.required<readonly number[]>();
  /** Events per year of B's attribute filters, for B's year picker. */
  readonly perYearB = input.required<readonly StatRow[]>();
  readonly options = input.required<FilterOptions>();
  readonly changedB = output<Partial<Filters>>();
  readonly closed = output<void>();

  protected readonly pct = percent;
  protected readonly rangeModeB = computed(() => isRangeMode(this.b()));
  protected readonly sides = computed<Side[]>(() => [
    { name: 'a', title: this.titleA(), totals: this.totalsA() },
    { name: 'b', title: this.titleB(), totals: this.totalsB() },
  ]);
  /** The share axis: up to the higher interval bound of the two, in steps of 5 %. */
  protected readonly scale = computed(() => {
    const high = Math.max(this.totalsA()?.fatalShareHigh ?? 0, this.totalsB()?.fatalShareHigh ?? 0);
    return Math.min(1, Math.max(0.05, Math.ceil(high * 20) / 20));
  });

  protected position(share: number | null): number {
    return share === null ? 0 : (100 * share) / this.scale();
  }

  protected pickTime(t: TimeSelection): void {
    this.changedB.emit({ year: t.year, from: t.from, to: t.to });
  }
}
