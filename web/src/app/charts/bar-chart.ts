import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';

import { StatRow } from '../core/api.service';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);

/** How a group is named on the chart: its label, else its key; rows without a value are "not recorded". */
export function keyLabel(r: StatRow): string {
  return r.key === null ? 'not recorded' : (r.label ?? String(r.key));
}

/** Events (bars) and deaths (line) per group of one `/api/stats` answer, drawn by Chart.js. */
@Component({
  selector: 'app-bar-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure
      class="chart"
      [attr.data-total]="total()"
      [attr.data-groups]="rows().length"
      [attr.data-keys]="keys()"
    >
      <figcaption>{{ title() }}</figcaption>
      <div class="chart-box">
        <canvas #canvas role="img" [attr.aria-label]="summary()"></canvas>
      </div>
    </figure>
  `,
})
export class BarChart {
  readonly title = input.required<string>();
  readonly rows = input.required<readonly StatRow[]>();
  readonly horizontal = input(false);
  /** A key to highlight (the selected year). */
  readonly highlight = input<string | number | null>(null);

  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private readonly chart = signal<Chart | null>(null);
  protected readonly total = computed(() => this.rows().reduce((s, r) => s + r.count, 0));
  /** The groups' keys as the API answered them, for tests and assistive tools. */
  protected readonly keys = computed(() => JSON.stringify(this.rows().map((r) => r.key)));
  protected readonly summary = computed(
    () =>
      `${this.title()}: ` +
      this.rows()
        .slice(0, 12)
        .map((r) => `${keyLabel(r)} ${r.count} events, ${r.fatal} deaths`)
        .join('; '),
  );

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      const chart = new Chart(this.canvas().nativeElement, {
        type: 'bar',
        data: { labels: [], datasets: [] },
        options: {
          indexAxis: this.horizontal() ? 'y' : 'x',
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { position: 'bottom' } },
          scales: this.horizontal()
            ? { x: { beginAtZero: true }, y: { ticks: { autoSkip: false, font: { size: 10 } } } }
            : { x: { ticks: { autoSkip: true } }, y: { beginAtZero: true } },
        },
      });
      this.chart.set(chart);
      destroyRef.onDestroy(() => chart.destroy());
    });
    effect(() => {
      const chart = this.chart();
      const rows = this.rows();
      const highlight = this.highlight();
      if (!chart) return;
      chart.data.labels = rows.map(keyLabel);
      chart.data.datasets = [
        {
          label: 'Events',
          data: rows.map((r) => r.count),
          backgroundColor: rows.map((r) =>
            highlight !== null && r.key === highlight ? '#1565c0' : '#90a4ae',
          ),
          order: 2,
        },
        {
          label: 'Deaths',
          data: rows.map((r) => r.fatal),
          backgroundColor: '#c62828',
          borderColor: '#c62828',
          order: 1,
        },
      ];
      chart.update();
    });
  }
}
