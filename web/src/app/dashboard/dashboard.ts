import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { DecimalPipe } from '@angular/common';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import { map } from 'rxjs';

import { hasCoordinates } from '../core/accident';
import { ApiService, ColumnSchema, StatRow } from '../core/api.service';
import { ConfigService } from '../core/app-config';
import { StatsCharts } from '../charts/stats-charts';
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

function topValues(columns: readonly ColumnSchema[], name: string): string[] {
  const key = name.toLowerCase();
  return (columns.find((c) => c.name.toLowerCase() === key)?.top ?? []).map((t) => t.value);
}

/** The page: the URL's query parameters are the state; map, charts and table follow them. */
@Component({
  selector: 'app-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe, YearPicker, FilterBar, AccidentMap, StatsCharts, AccidentTable],
  templateUrl: './dashboard.html',
})
export class Dashboard {
  private readonly api = inject(ApiService);
  private readonly router = inject(Router);
  protected readonly config = inject(ConfigService).config;

  private readonly urlFilters = toSignal(
    inject(ActivatedRoute).queryParamMap.pipe(map(filtersFromParams)),
    {
      requireSync: true,
    },
  );
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
    this.byPhase.hasValue() ? this.byPhase.value() : NO_STATS,
  );
  protected readonly weatherRows = computed(() =>
    this.byWeather.hasValue() ? this.byWeather.value() : NO_STATS,
  );
  protected readonly makeRows = computed(() =>
    this.topMakes.hasValue() ? this.topMakes.value() : NO_STATS,
  );
  protected readonly yearList = computed(() => (this.years.hasValue() ? this.years.value() : []));

  protected readonly options = computed<FilterOptions>(() => {
    const cols = this.schema.hasValue() ? this.schema.value() : [];
    const severities = topValues(cols, 'Injury.Severity').filter((v) => !v.startsWith('Fatal'));
    return {
      severity: ['Fatal', ...severities],
      category: topValues(cols, 'Aircraft.Category'),
      phase: topValues(cols, 'Broad.Phase.of.Flight'),
      weather: topValues(cols, 'Weather.Condition'),
      country: topValues(cols, 'Country'),
    };
  });

  /** The first failure to show: the data the page depends on, most important first. */
  protected readonly error = computed(() => {
    for (const r of [
      this.years,
      this.rows,
      this.perYear,
      this.byPhase,
      this.byWeather,
      this.topMakes,
      this.schema,
    ]) {
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
    void this.router.navigate([], {
      queryParams: filtersToParams({ ...this.filters(), ...patch }),
    });
  }

  protected pickTime(t: TimeSelection): void {
    this.update({ year: t.year, from: t.from, to: t.to });
  }

  protected retry(): void {
    for (const r of [
      this.years,
      this.rows,
      this.perYear,
      this.byPhase,
      this.byWeather,
      this.topMakes,
      this.schema,
    ]) {
      if (r.error()) r.reload();
    }
  }
}
