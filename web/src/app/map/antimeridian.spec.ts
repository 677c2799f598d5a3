import { cutPolygon, unwrapRing } from './antimeridian';
import { worldCountries } from './world-basemap';

describe('cutting at the antimeridian', () => {
  it('unwraps a ring that crosses 180°', () => {
    const { ring, turns } = unwrapRing([
      [179, 0],
      [-179, 0],
      [-179, 1],
      [179, 1],
      [179, 0],
    ]);
    expect(ring.map((p) => p[0])).toEqual([179, 181, 181, 179, 179]);
    expect(turns).toBe(0);
  });

  it('cuts a crossing polygon into two pieces inside ±180°', () => {
    const pieces = cutPolygon([
      [
        [179, 0],
        [-179, 0],
        [-179, 1],
        [179, 1],
        [179, 0],
      ],
    ]);
    expect(pieces.length).toBe(2);
    for (const piece of pieces) {
      for (const [x] of piece[0]) expect(Math.abs(x)).toBeLessThanOrEqual(180);
    }
    const xs = pieces.map((p) => p[0].map(([x]) => x));
    expect(xs.some((x) => Math.min(...x) === 179 && Math.max(...x) === 180)).toBe(true);
    expect(xs.some((x) => Math.min(...x) === -180 && Math.max(...x) === -179)).toBe(true);
  });

  it('closes a ring around a pole through the pole', () => {
    const pieces = cutPolygon([
      [
        [-180, -80],
        [0, -70],
        [180, -80],
        [-180, -80],
      ],
    ]);
    const ys = pieces.flatMap((p) => p[0].map(([, y]) => y));
    expect(Math.min(...ys)).toBe(-90);
  });

  it('leaves no step of more than 180° in the world basemap', () => {
    const world = worldCountries();
    expect(world.features.length).toBeGreaterThan(150);
    for (const f of world.features) {
      if (f.geometry.type !== 'MultiPolygon') continue;
      for (const polygon of f.geometry.coordinates) {
        for (const ring of polygon) {
          for (let i = 1; i < ring.length; i++) {
            expect(Math.abs(ring[i][0])).toBeLessThanOrEqual(180);
            const alongPole = Math.abs(ring[i][1]) === 90 && Math.abs(ring[i - 1][1]) === 90;
            if (!alongPole) expect(Math.abs(ring[i][0] - ring[i - 1][0])).toBeLessThanOrEqual(180);
          }
        }
      }
    }
  });
});
