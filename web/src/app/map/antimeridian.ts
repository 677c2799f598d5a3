import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

type Ring = Position[];

/**
 * Makes a ring continuous in longitude: a step of more than 180° is taken as a crossing of the
 * antimeridian. Returns the ring and how many turns it made (non-zero for a ring around a pole).
 */
export function unwrapRing(ring: Ring): { ring: Ring; turns: number } {
  if (ring.length === 0) return { ring: [], turns: 0 };
  const out: Ring = [[ring[0][0], ring[0][1]]];
  let offset = 0;
  for (let i = 1; i < ring.length; i++) {
    const prev = ring[i - 1][0];
    const cur = ring[i][0];
    // A step of more than half the world crosses the antimeridian (also 180 → -180 along the cut).
    const d = cur - prev;
    if (d > 180) offset -= 360;
    else if (d < -180) offset += 360;
    out.push([cur + offset, ring[i][1]]);
  }
  return { ring: out, turns: Math.round(offset / 360) };
}

/** Sutherland–Hodgman clip of a ring against the half-plane `keep(lon)`, cut at `edge`. */
function clipLon(ring: Ring, edge: number, keep: (lon: number) => boolean): Ring {
  const out: Ring = [];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const ina = keep(a[0]);
    const inb = keep(b[0]);
    if (ina) out.push(a);
    if (ina !== inb) {
      const t = (edge - a[0]) / (b[0] - a[0]);
      out.push([edge, a[1] + t * (b[1] - a[1])]);
    }
  }
  return out;
}

/** The part of a ring within −180°..180°. */
function clipToWorld(ring: Ring): Ring {
  return clipLon(
    clipLon(ring, -180, (x) => x >= -180),
    180,
    (x) => x <= 180,
  );
}

/**
 * Polygons of `world-atlas` (which crosses the antimeridian, for spherical projections) cut at
 * ±180° so that a flat map draws them without stripes across the world.
 */
export function cutPolygon(rings: Ring[]): Ring[][] {
  if (rings.length === 0) return [];
  const unwrapped = rings.map((r, i) => {
    const u = unwrapRing(r);
    if (i === 0 && u.turns !== 0 && u.ring.length > 0) {
      // A ring around a pole (Antarctica): close it through the pole.
      const pole = u.ring.reduce((s, p) => s + p[1], 0) < 0 ? -90 : 90;
      const first = u.ring[0];
      const last = u.ring[u.ring.length - 1];
      u.ring.push([last[0], pole], [first[0], pole]);
    }
    return u.ring;
  });
  const pieces: Ring[][] = [];
  for (const shift of [-720, -360, 0, 360, 720]) {
    const moved = unwrapped.map((r) => r.map(([x, y]) => [x + shift, y] as Position));
    const outer = clipToWorld(moved[0]);
    if (outer.length < 3) continue;
    const holes = moved
      .slice(1)
      .map(clipToWorld)
      .filter((h) => h.length >= 3);
    pieces.push([outer, ...holes].map((r) => [...r, r[0]]));
  }
  return pieces;
}

/** A FeatureCollection of (Multi)Polygons with every polygon cut at ±180°. */
export function cutAtAntimeridian(fc: FeatureCollection): FeatureCollection<MultiPolygon> {
  const features: Feature<MultiPolygon>[] = [];
  for (const f of fc.features) {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
    const polygons =
      g.type === 'Polygon' ? [(g as Polygon).coordinates] : (g as MultiPolygon).coordinates;
    const cut = polygons.flatMap((p) => cutPolygon(p));
    features.push({
      type: 'Feature',
      properties: f.properties,
      geometry: { type: 'MultiPolygon', coordinates: cut },
    });
  }
  return { type: 'FeatureCollection', features };
}
