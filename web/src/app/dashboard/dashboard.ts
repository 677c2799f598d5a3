import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { DecimalPipe } from '@angular/common';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';

import { hasCoordinates, normalizeName } from '../core/accident';
import { ApiService, CanonicalValue, ColumnSchema, StatRow } from '../core/api.service';
import { ConfigService } from '../core/app-config';
import { StatsCharts } from '../charts/stats-charts';
import { ComparePanel } from '../compare/compare-panel';
import {
  Comparison,
  comparisonFromParams,
  comparisonToParams,
  describe,
  selectionB,
} from '../compare/comparison';
import { AccidentMap } from '../map/accident-map';
import { AccidentTable } from '../table/accident-table';
import { FilterBar, FilterOptions } from '../filters/filter-bar';
import {
  Filters,
  apiParams,
  attributeParams,
  filtersFromParams,
  filtersToParams,
  hasTime,
  isRangeMode,
} from '../filters/filters';
import { TimeSelection, YearPicker } from '../year-picker/year-picker';

const NO_STATS: readonly StatRow[] = [];

/** A column's canonical values (most rows first), or its most frequent raw values without them. */
function choices(columns: readonly ColumnSchema[], name: string): readonly CanonicalValue[] {
  const column = columns.find((c) => normalizeName(c.name) === normalizeName(name));
  if (column?.canonical) return column.canonical.values;
  return (column?.top ?? []).map((t) => ({ value: t.value, label: t.value, count: t.count }));
}

/** The page: the URL's query parameters are the state; map, charts and table follow them. */
@Component({
  selector: 'app-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DecimalPipe,
    YearPicker,
    FilterBar,
    AccidentMap,
    StatsCharts,
    AccidentTable,
    ComparePanel,
  ],
  templateUrl: './dashboard.html',
})
export class Dashboard {
  private readonly api = inject(ApiService);
  private readonly router = inject(Router);
  protected readonly config = inject(ConfigService).config;

  private readonly url = toSignal(inject(ActivatedRoute).queryParamMap, { requireSync: true });
  private readonly urlFilters = computed(() => filtersFromParams(this.url()));
  protected readonly comparison = computed<Comparison>(() => comparisonFromParams(this.url()));
  protected readonly years = rxResource({ stream: () => this.api.years() });
  private readonly schema = rxResource({ stream: () => this.api.schema() });

  /** The URL's filters, with the newest year when the URL names no time. */
  protected readonly filters = computed<Filters>(() => {
    const f = this.urlFilters();
    const years = this.years.hasValue() ? this.years.value() : [];
    return hasTime(f) || years.length === 0 ? f : { ...f, year: years[0] };
  });
  protected readonly rangeMode = computed(() => isRangeMode(this.filters()));
  private readonly params = computed(() =>
    hasTime(this.filters()) ? apiParams(this.filters()) : undefined,
  );

  protected readonly rows = rxResource({
    params: () => this.params(),
    stream: ({ params }) => this.api.query(params),
  });
  private readonly perYear = rxResource({
    params: () => attributeParams(this.filters()),
    stream: ({ params }) => this.api.stats('year', params),
  });
  private readonly byPhase = rxResource({
    params: () => this.params(),
    stream: ({ params }) => this.api.stats('Broad.Phase.of.Flight', params),
  });
  private readonly byWeather = rxResource({
    params: () => this.params(),
    stream: ({ params }) => this.api.stats('Weather.Condition', params),
  });
  private readonly topMakes = rxResource({
    params: () => this.params(),
    stream: ({ params }) => this.api.stats('Make', params, { sort: '-count', top: '10' }),
  });

  /** Selection B of compare mode: A (the filters above) with B's replacements. */
  protected readonly filtersB = computed(() => selectionB(this.filters(), this.comparison().b));
  private readonly totalsA = rxResource({
    params: () => (this.comparison().on ? apiParams(this.filters()) : undefined),
    stream: ({ params }) => this.api.totals(params),
  });
  private readonly totalsB = rxResource({
    params: () => (this.comparison().on ? apiParams(this.filtersB()) : undefined),
    stream: ({ params }) => this.api.totals(params),
  });
  private readonly perYearB = rxResource({
    params: () => (this.comparison().on ? attributeParams(this.filtersB()) : undefined),
    stream: ({ params }) => this.api.stats('year', params),
  });
  protected readonly totalsARow = computed(() =>
    this.totalsA.hasValue() ? this.totalsA.value() : null,
  );
  protected readonly totalsBRow = computed(() =>
    this.totalsB.hasValue() ? this.totalsB.value() : null,
  );
  protected readonly perYearBRows = computed(() =>
    this.perYearB.hasValue() ? this.perYearB.value() : NO_STATS,
  );

  /** Each column's labels by canonical value (`VMC` → `Visual (VMC)`), from /api/schema. */
  private readonly labels = computed(() => {
    const cols = this.schema.hasValue() ? this.schema.value() : [];
    return new Map(
      cols
        .filter((c) => c.canonical)
        .map((c) => [
          normalizeName(c.name),
          new Map(c.canonical!.values.map((v) => [v.value, v.label])),
        ]),
    );
  });
  protected readonly label = (column: string, value: string): string =>
    this.labels().get(normalizeName(column))?.get(value) ?? value;
  private withLabels(column: string, rows: readonly StatRow[]): readonly StatRow[] {
    return rows.map((r) =>
      typeof r.key === 'string' ? { ...r, label: this.label(column, r.key) } : r,
    );
  }
  protected readonly titleA = computed(() => describe(this.filters(), this.label));
  protected readonly titleB = computed(() => describe(this.filtersB(), this.label));

  protected readonly accidents = computed(() =>
    this.rows.hasValue() ? this.rows.value().rows : [],
  );
  protected readonly total = computed(() => (this.rows.hasValue() ? this.rows.value().total : 0));
  protected readonly unplaced = computed(
    () => this.accidents().filter((a) => !hasCoordinates(a)).length,
  );
  protected readonly perYearRows = computed(() =>
    this.perYear.hasValue() ? this.perYear.value() : NO_STATS,
  );
  protected readonly phaseRows = computed(() =>
    this.withLabels(
      'Broad.Phase.of.Flight',
      this.byPhase.hasValue() ? this.byPhase.value() : NO_STATS,
    ),
  );
  protected readonly weatherRows = computed(() =>
    this.withLabels(
      'Weather.Condition',
      this.byWeather.hasValue() ? this.byWeather.value() : NO_STATS,
    ),
  );
  protected readonly makeRows = computed(() =>
    this.withLabels('Make', this.topMakes.hasValue() ? this.topMakes.value() : NO_STATS),
  );
  protected readonly yearList = computed(() => (this.years.hasValue() ? this.years.value() : []));

  protected readonly options = computed<FilterOptions>(() => {
    const cols = this.schema.hasValue() ? this.schema.value() : [];
    return {
      severity: choices(cols, 'Injury.Severity'),
      category: choices(cols, 'Aircraft.Category'),
      phase: choices(cols, 'Broad.Phase.of.Flight'),
      weather: choices(cols, 'Weather.Condition'),
      make: choices(cols, 'Make'),
      country: choices(cols, 'Country'),
    };
  });

  /** The first failure to show: the data the page depends on, most important first. */
  protected readonly error = computed(() => {
    for (const r of this.resources()) {
      const e = r.error();
      if (e) return e.message || String(e);
    }
    return null;
  });
  protected readonly loading = computed(() => this.years.isLoading() || this.rows.isLoading());

  protected readonly csvUrl = computed(() =>
    this.api.downloadUrl(apiParams(this.filters()), 'csv'),
  );
  protected readonly geojsonUrl = computed(() =>
    this.api.downloadUrl(apiParams(this.filters()), 'geojson'),
  );

  protected update(patch: Partial<Filters>): void {
    this.navigate({ ...this.filters(), ...patch }, this.comparison());
  }

  /** Replaces filters of selection B (compare mode). */
  protected updateB(patch: Partial<Filters>): void {
    this.navigate(this.filters(), { on: true, b: { ...this.comparison().b, ...patch } });
  }

  protected compare(on: boolean): void {
    this.navigate(this.filters(), { on, b: on ? this.comparison().b : {} });
  }

  private navigate(a: Filters, comparison: Comparison): void {
    void this.router.navigate([], {
      queryParams: { ...filtersToParams(a), ...comparisonToParams(comparison) },
    });
  }

  /** The data the page depends on, most important first. */
  private resources() {
    return [
      this.years,
      this.rows,
      this.perYear,
      this.byPhase,
      this.byWeather,
      this.topMakes,
      this.schema,
      this.totalsA,
      this.totalsB,
      this.perYearB,
    ];
  }

  protected pickTime(t: TimeSelection): void {
    this.update({ year: t.year, from: t.from, to: t.to });
  }

  protected retry(): void {
    for (const r of this.resources()) {
      if (r.error()) r.reload();
    }
  }
}
