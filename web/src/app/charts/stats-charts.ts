import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { StatRow } from '../core/api.service';
import { BarChart } from './bar-chart';

/** The dashboard's four charts, all from `/api/stats` with the current filters. */
@Component({
  selector: 'app-stats-charts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [BarChart],
  template: `
    <div class="charts">
      <app-bar-chart
        data-testid="chart-year"
        title="Events and deaths per year (other filters applied)"
        [rows]="perYear()"
        [highlight]="year()"
      />
      <app-bar-chart
        data-testid="chart-phase"
        title="By phase of flight"
        [rows]="byPhase()"
        [horizontal]="true"
      />
      <app-bar-chart
        data-testid="chart-weather"
        title="By weather"
        [rows]="byWeather()"
        [horizontal]="true"
      />
      <app-bar-chart
        data-testid="chart-makes"
        title="Top makes"
        [rows]="topMakes()"
        [horizontal]="true"
      />
    </div>
  `,
})
export class StatsCharts {
  readonly perYear = input.required<readonly StatRow[]>();
  readonly byPhase = input.required<readonly StatRow[]>();
  readonly byWeather = input.required<readonly StatRow[]>();
  readonly topMakes = input.required<readonly StatRow[]>();
  readonly year = input<number | null>(null);
}
