import type { FeatureCollection } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries from 'world-atlas/countries-110m.json';

import { cutAtAntimeridian } from './antimeridian';

/** Natural Earth's countries (1:110m, npm world-atlas) as GeoJSON cut at ±180°: no network needed. */
export function worldCountries(): FeatureCollection {
  const topology = countries as unknown as Topology<{ countries: GeometryCollection }>;
  return cutAtAntimeridian(feature(topology, topology.objects.countries) as FeatureCollection);
}
