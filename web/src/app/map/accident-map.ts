import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterNextRender,
  computed,
  effect,
  input,
  signal,
  viewChild,
  DestroyRef,
  inject,
} from '@angular/core';
import L from 'leaflet';
import 'leaflet.markercluster';

import {
  Accident,
  SEVERITY_COLORS,
  SEVERITY_LABELS,
  SeverityClass,
  hasCoordinates,
  severityClass,
} from '../core/accident';
import { accidentPopup } from './accident-popup';
import { worldCountries } from './world-basemap';

/** The selected events on a Leaflet map, clustered, coloured by severity, over an offline basemap. */
@Component({
  selector: 'app-accident-map',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div
      #host
      class="map-canvas"
      role="region"
      aria-label="Map of the selected accidents (arrow keys pan, + and - zoom)"
      data-testid="map"
      [attr.data-placed]="placedCount()"
    ></div>
    <ul class="legend" aria-label="Marker colours">
      @for (s of legend; track s) {
        <li><span class="swatch" [class]="'swatch sev-' + s"></span>{{ labels[s] }}</li>
      }
    </ul>
  `,
})
export class AccidentMap {
  readonly accidents = input.required<readonly Accident[]>();
  readonly tiles = input<'none' | 'osm'>('none');

  protected readonly legend: SeverityClass[] = ['fatal', 'serious', 'minor', 'none', 'unknown'];
  protected readonly labels = SEVERITY_LABELS;
  private readonly host = viewChild.required<ElementRef<HTMLDivElement>>('host');
  private readonly placed = computed(() => this.accidents().filter(hasCoordinates));
  /** Markers on the map, once drawn (read by the end-to-end tests through data-placed). */
  protected readonly placedCount = signal(0);
  private readonly map = signal<{
    map: L.Map;
    cluster: L.MarkerClusterGroup;
    tiles: L.TileLayer | null;
  } | null>(null);

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      const map = L.map(this.host().nativeElement, {
        center: [30, -40],
        zoom: 2,
        minZoom: 1,
        maxZoom: 14,
        worldCopyJump: false,
        preferCanvas: false,
      });
      L.geoJSON(worldCountries(), {
        interactive: false,
        style: { color: '#8a9aa9', weight: 0.6, fillColor: '#e4e8dc', fillOpacity: 1 },
      }).addTo(map);
      const cluster = L.markerClusterGroup({
        chunkedLoading: true,
        showCoverageOnHover: false,
        maxClusterRadius: 50,
      });
      cluster.addTo(map);
      this.map.set({ map, cluster, tiles: null });
      destroyRef.onDestroy(() => map.remove());
    });

    // Online tiles when the runtime config asks for them.
    effect(() => {
      const m = this.map();
      if (!m) return;
      const wanted = this.tiles() === 'osm';
      if (wanted && !m.tiles) {
        m.tiles = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
          maxZoom: 14,
          attribution: '&copy; OpenStreetMap contributors',
        }).addTo(m.map);
      } else if (!wanted && m.tiles) {
        m.tiles.remove();
        m.tiles = null;
      }
    });

    // The markers follow the selection.
    effect(() => {
      const m = this.map();
      const rows = this.placed();
      if (!m) return;
      m.cluster.clearLayers();
      const markers = rows.map((a) => {
        const color = SEVERITY_COLORS[severityClass(a)];
        return L.circleMarker([a.lat!, a.lon!], {
          radius: 6,
          color: '#222',
          weight: 1,
          fillColor: color,
          fillOpacity: 0.85,
        }).bindPopup(() => accidentPopup(a));
      });
      m.cluster.addLayers(markers);
      if (markers.length > 0) {
        m.map.fitBounds(m.cluster.getBounds(), { padding: [20, 20], maxZoom: 7 });
      }
      this.placedCount.set(markers.length);
    });
  }
}
