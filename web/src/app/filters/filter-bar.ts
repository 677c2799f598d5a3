import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { DecimalPipe } from '@angular/common';

import { CanonicalValue } from '../core/api.service';
import { Filters } from './filters';

/** The choices offered for the category filters: canonical values with their labels and rows
 * (from /api/schema), most rows first. */
export interface FilterOptions {
  readonly severity: readonly CanonicalValue[];
  readonly category: readonly CanonicalValue[];
  readonly phase: readonly CanonicalValue[];
  readonly weather: readonly CanonicalValue[];
  readonly make: readonly CanonicalValue[];
  readonly country: readonly CanonicalValue[];
}

type SelectKey = 'severity' | 'category' | 'phase' | 'weather';
type TextKey = 'make' | 'model' | 'country';

/** The attribute filters; every change goes to the URL through the dashboard. The page can hold
 * two (compare mode): `name` keeps their form controls apart. */
@Component({
  selector: 'app-filter-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe],
  template: `
    <fieldset class="filter-bar">
      <legend>{{ legend() }}</legend>
      @for (s of selects; track s.key) {
        <label>
          {{ s.label }}
          <select
            [attr.data-testid]="'filter-' + s.key"
            (change)="set(s.key, $any($event.target).value)"
          >
            <option value="" [selected]="!filters()[s.key]">Any</option>
            @for (o of options()[s.key]; track o.value) {
              <option [value]="o.value" [selected]="filters()[s.key] === o.value">
                {{ o.label }} ({{ o.count | number }})
              </option>
            }
          </select>
        </label>
      }
      <label>
        Make
        <input
          type="search"
          data-testid="filter-make"
          [attr.list]="name() + '-make-options'"
          [value]="filters().make ?? ''"
          (change)="set('make', $any($event.target).value)"
        />
        <datalist [id]="name() + '-make-options'">
          @for (o of options().make; track o.value) {
            <option [value]="o.value">{{ o.label }} ({{ o.count | number }})</option>
          }
        </datalist>
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
          data-testid="filter-country"
          [attr.list]="name() + '-country-options'"
          [value]="filters().country ?? ''"
          (change)="set('country', $any($event.target).value)"
        />
        <datalist [id]="name() + '-country-options'">
          @for (o of options().country; track o.value) {
            <option [value]="o.value">{{ o.label }} ({{ o.count | number }})</option>
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
  readonly legend = input('Filters');
  /** Prefix of the ids of the bar's lists, unique in the page. */
  readonly name = input('filters');
  readonly changed = output<Partial<Filters>>();

  protected readonly selects: { key: SelectKey; label: string }[] = [
    { key: 'severity', label: 'Severity' },
    { key: 'category', label: 'Aircraft category' },
    { key: 'phase', label: 'Phase of flight' },
    { key: 'weather', label: 'Weather' },
  ];

  protected set(key: SelectKey | TextKey, value: string): void {
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
