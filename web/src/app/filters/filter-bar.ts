import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

import { Filters } from './filters';

/** The choices offered for the category filters (from /api/schema's most frequent values). */
export interface FilterOptions {
  readonly severity: readonly string[];
  readonly category: readonly string[];
  readonly phase: readonly string[];
  readonly weather: readonly string[];
  readonly country: readonly string[];
}

type SelectKey = 'severity' | 'category' | 'phase' | 'weather';

/** The attribute filters; every change goes to the URL through the dashboard. */
@Component({
  selector: 'app-filter-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <fieldset class="filter-bar">
      <legend>Filters</legend>
      @for (s of selects; track s.key) {
        <label>
          {{ s.label }}
          <select
            [attr.data-testid]="'filter-' + s.key"
            (change)="set(s.key, $any($event.target).value)"
          >
            <option value="" [selected]="!filters()[s.key]">Any</option>
            @for (o of options()[s.key]; track o) {
              <option [value]="o" [selected]="filters()[s.key] === o">{{ o }}</option>
            }
          </select>
        </label>
      }
      <label>
        Make contains
        <input
          type="search"
          data-testid="filter-make"
          [value]="filters().make ?? ''"
          (change)="set('make', $any($event.target).value)"
        />
      </label>
      <label>
        Model contains
        <input
          type="search"
          data-testid="filter-model"
          [value]="filters().model ?? ''"
          (change)="set('model', $any($event.target).value)"
        />
      </label>
      <label>
        Country
        <input
          type="search"
          list="country-options"
          data-testid="filter-country"
          [value]="filters().country ?? ''"
          (change)="set('country', $any($event.target).value)"
        />
        <datalist id="country-options">
          @for (c of options().country; track c) {
            <option [value]="c"></option>
          }
        </datalist>
      </label>
      <label class="check">
        <input
          type="checkbox"
          data-testid="filter-fatal"
          [checked]="filters().fatalOnly"
          (change)="changed.emit({ fatalOnly: $any($event.target).checked })"
        />
        Fatal only
      </label>
      <button type="button" data-testid="filter-clear" (click)="clear()">Clear filters</button>
    </fieldset>
  `,
})
export class FilterBar {
  readonly filters = input.required<Filters>();
  readonly options = input.required<FilterOptions>();
  readonly changed = output<Partial<Filters>>();

  protected readonly selects: { key: SelectKey; label: string }[] = [
    { key: 'severity', label: 'Severity' },
    { key: 'category', label: 'Aircraft category' },
    { key: 'phase', label: 'Phase of flight' },
    { key: 'weather', label: 'Weather' },
  ];

  protected set(key: SelectKey | 'make' | 'model' | 'country', value: string): void {
    const v = value.trim();
    this.changed.emit({ [key]: v === '' ? null : v });
  }

  protected clear(): void {
    this.changed.emit({
      severity: null,
      category: null,
      phase: null,
      weather: null,
      make: null,
      model: null,
      fatalOnly: false,
      country: null,
    });
  }
}
