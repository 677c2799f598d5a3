import {
  ChangeDetectionStrategy,
  Component,
  computed,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { DecimalPipe } from '@angular/common';

import { Accident, hasCoordinates, isoDate, severityClass } from '../core/accident';
import { SortKey, SortState, sortAccidents } from './table-sort';

const PAGE_SIZE = 25;

/** The selected events, sortable and paged, with the selection's CSV and GeoJSON downloads. */
@Component({
  selector: 'app-accident-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe],
  template: `
    <div class="table-tools">
      <span
        data-testid="table-count"
        [attr.data-count]="shown().length"
        [attr.data-mode]="unplacedOnly() ? 'unplaced' : 'all'"
      >
        {{ shown().length | number }} {{ unplacedOnly() ? 'events without coordinates' : 'events' }}
      </span>
      @if (unplacedOnly()) {
        <button type="button" (click)="unplacedOnly.set(false)">Show all events</button>
      }
      <a [href]="csvUrl()" download="accidents.csv" data-testid="download-csv">Download CSV</a>
      <a [href]="geojsonUrl()" download="accidents.geojson" data-testid="download-geojson"
        >Download GeoJSON</a
      >
    </div>
    <div
      class="table-scroll"
      tabindex="0"
      role="region"
      aria-label="Table of the selected accidents"
    >
      <table data-testid="table">
        <thead>
          <tr>
            @for (c of columns; track c.key) {
              <th
                scope="col"
                [attr.aria-sort]="
                  sort().key === c.key ? (sort().descending ? 'descending' : 'ascending') : 'none'
                "
              >
                <button type="button" (click)="sortBy(c.key)">
                  {{ c.label }}{{ sort().key === c.key ? (sort().descending ? ' ▼' : ' ▲') : '' }}
                </button>
              </th>
            }
          </tr>
        </thead>
        <tbody>
          @for (a of page(); track $index) {
            <tr [class]="'sev-row-' + sevClass(a)">
              <td>{{ date(a.date) }}</td>
              <td>{{ a.location }}</td>
              <td>{{ a.country }}</td>
              <td
                [attr.title]="
                  a.makeRecorded && a.makeRecorded !== a.make
                    ? 'recorded as ' + a.makeRecorded
                    : null
                "
              >
                {{ a.make }}
              </td>
              <td>{{ a.model }}</td>
              <td>{{ a.severity }}</td>
              <td class="num">{{ a.fatal }}</td>
              <td class="num">{{ a.serious }}</td>
              <td>{{ a.phase }}</td>
              <td>{{ a.weather }}</td>
              <td>{{ a.damage }}</td>
            </tr>
          } @empty {
            <tr>
              <td [attr.colspan]="columns.length">No events match.</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
    <nav class="pager" aria-label="Table pages">
      <button type="button" (click)="pageIndex.set(0)" [disabled]="pageIndex() === 0">First</button>
      <button type="button" (click)="pageIndex.set(pageIndex() - 1)" [disabled]="pageIndex() === 0">
        Previous
      </button>
      <span data-testid="page">Page {{ pageIndex() + 1 }} of {{ pageCount() }}</span>
      <button
        type="button"
        (click)="pageIndex.set(pageIndex() + 1)"
        [disabled]="pageIndex() + 1 >= pageCount()"
      >
        Next
      </button>
      <button
        type="button"
        (click)="pageIndex.set(pageCount() - 1)"
        [disabled]="pageIndex() + 1 >= pageCount()"
      >
        Last
      </button>
    </nav>
  `,
})
export class AccidentTable {
  readonly accidents = input.required<readonly Accident[]>();
  readonly csvUrl = input.required<string>();
  readonly geojsonUrl = input.required<string>();
  /** Only the events that cannot be placed on the map. */
  readonly unplacedOnly = signal(false);

  protected readonly columns: { key: SortKey; label: string }[] = [
    { key: 'date', label: 'Date' },
    { key: 'location', label: 'Location' },
    { key: 'country', label: 'Country' },
    { key: 'make', label: 'Make' },
    { key: 'model', label: 'Model' },
    { key: 'severity', label: 'Severity' },
    { key: 'fatal', label: 'Fatal' },
    { key: 'serious', label: 'Serious' },
    { key: 'phase', label: 'Phase' },
    { key: 'weather', label: 'Weather' },
    { key: 'damage', label: 'Damage' },
  ];
  protected readonly sort = signal<SortState>({ key: 'date', descending: false });
  protected readonly shown = computed(() => {
    const rows = this.unplacedOnly()
      ? this.accidents().filter((a) => !hasCoordinates(a))
      : this.accidents();
    return sortAccidents(rows, this.sort());
  });
  /** Back to the first page whenever the rows shown change (selection, sort, unplaced only). */
  protected readonly pageIndex = linkedSignal({ source: () => this.shown(), computation: () => 0 });
  protected readonly pageCount = computed(() =>
    Math.max(1, Math.ceil(this.shown().length / PAGE_SIZE)),
  );
  protected readonly page = computed(() => {
    const start = this.pageIndex() * PAGE_SIZE;
    return this.shown().slice(start, start + PAGE_SIZE);
  });
  protected readonly date = isoDate;
  protected readonly sevClass = severityClass;

  protected sortBy(key: SortKey): void {
    const s = this.sort();
    this.sort.set({
      key,
      descending: s.key === key ? !s.descending : key === 'fatal' || key === 'serious',
    });
  }
}
