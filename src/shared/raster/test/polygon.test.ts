import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FillRule, Ring } from '../polygon';
import { polygonMask, scanRings } from '../polygon';
import { maskToMap, referencePolygon, toArt } from './pixel-art';

function fill(rings: Ring[], rule: FillRule, w: number, h: number): string[] {
  return toArt(maskToMap(polygonMask({ rings, fillRule: rule }, w, h), w, h));
}

describe('polygon fill at pixel centres', () => {
  it('fills a square whose corners sit on pixel corners exactly', () => {
    expect(fill([[1, 1, 4, 1, 4, 4, 1, 4]], 'nonzero', 6, 6)).toEqual([
      '......',
      '.###..',
      '.###..',
      '.###..',
      '......',
      '......',
    ]);
  });

  it('gives a centre on a left edge to the shape and on a right edge to its neighbour', () => {
    // The hypotenuse x + y = 6 passes through centres (0.5, 5.5), (1.5, 4.5)…: they lie on its right side, outside.
    expect(fill([[0, 0, 6, 0, 0, 6]], 'nonzero', 6, 6)).toEqual([
      '#####.',
      '####..',
      '###...',
      '##....',
      '#.....',
      '......',
    ]);
    // The other half of the square takes exactly the rest.
    expect(fill([[6, 0, 6, 6, 0, 6]], 'nonzero', 6, 6)).toEqual([
      '.....#',
      '....##',
      '...###',
      '..####',
      '.#####',
      '######',
    ]);
  });

  it('fills a convex polygon with fractional vertices as the reference does', () => {
    const ring = [2.25, 0.5, 9.75, 3.125, 7.5, 9.9375, 0.0625, 6.5];
    for (const rule of ['nonzero', 'evenodd'] as const) {
      expect(fill([ring], rule, 10, 10)).toEqual(toArt(referencePolygon([ring], rule, 10, 10)));
    }
  });

  it('fills a concave U without its notch', () => {
    expect(fill([[0, 0, 2, 0, 2, 4, 4, 4, 4, 0, 6, 0, 6, 6, 0, 6]], 'nonzero', 6, 6)).toEqual([
      '##..##',
      '##..##',
      '##..##',
      '##..##',
      '######',
      '######',
    ]);
  });

  it('fills a pentagram: even-odd leaves the centre empty, non-zero fills it', () => {
    const star: number[] = [];
    for (let k = 0; k < 5; k++) {
      const a = -Math.PI / 2 + (k * 4 * Math.PI) / 5;
      star.push(Math.round((10 + 9.5 * Math.cos(a)) * 16) / 16, Math.round((10 + 9.5 * Math.sin(a)) * 16) / 16);
    }
    const evenOdd = polygonMask({ rings: [star], fillRule: 'evenodd' }, 20, 20);
    const nonZero = polygonMask({ rings: [star], fillRule: 'nonzero' }, 20, 20);
    const at = (m: typeof evenOdd, x: number, y: number) => m.bits[(y - m.y) * m.width + (x - m.x)];
    expect(at(evenOdd, 10, 10)).toBe(0);
    expect(at(nonZero, 10, 10)).toBe(1);
    expect(toArt(maskToMap(evenOdd, 20, 20))).toEqual(toArt(referencePolygon([star], 'evenodd', 20, 20)));
    expect(toArt(maskToMap(nonZero, 20, 20))).toEqual(toArt(referencePolygon([star], 'nonzero', 20, 20)));
  });

  it('fills a bow-tie the same under both rules, centres on its diagonals going to the right-hand lobe', () => {
    const bow = [0, 0, 6, 6, 6, 0, 0, 6];
    expect(fill([bow], 'evenodd', 6, 6)).toEqual(fill([bow], 'nonzero', 6, 6));
    expect(fill([bow], 'evenodd', 6, 6)).toEqual(['.....#', '#...##', '##.###', '##.###', '#...##', '.....#']);
  });

  it('cuts holes, whatever their orientation', () => {
    const outer = [0, 0, 8, 0, 8, 8, 0, 8];
    const expected = ['########', '########', '##....##', '##....##', '##....##', '##....##', '########', '########'];
    expect(fill([outer, [2, 2, 6, 2, 6, 6, 2, 6]], 'nonzero', 8, 8)).toEqual(expected);
    expect(fill([outer, [2, 2, 2, 6, 6, 6, 6, 2]], 'nonzero', 8, 8)).toEqual(expected);
    expect(fill([outer, [2, 2, 6, 2, 6, 6, 2, 6]], 'evenodd', 8, 8)).toEqual(expected);
  });

  it('takes compound rings under the rule: overlaps cancel in even-odd and add up in non-zero', () => {
    const a = [0, 0, 4, 0, 4, 4, 0, 4];
    const b = [2, 2, 6, 2, 6, 6, 2, 6];
    const run = (rule: FillRule) => {
      const m = new Uint8Array(36);
      scanRings([a, b], rule, 6, 6, (y, x0, x1) => m.fill(1, y * 6 + x0, y * 6 + x1));
      return toArt({ width: 6, height: 6, pixels: m });
    };
    expect(run('evenodd')).toEqual(['####..', '####..', '##..##', '##..##', '..####', '..####']);
    expect(run('nonzero')).toEqual(['####..', '####..', '######', '######', '..####', '..####']);
  });

  it('clips at the image edges without wrapping into other rows', () => {
    expect(fill([[-3, -2, 3, -2, 3, 2, -3, 2]], 'nonzero', 4, 4)).toEqual(['###.', '###.', '....', '....']);
    expect(fill([[2, 1, 9, 1, 9, 3, 2, 3]], 'nonzero', 4, 4)).toEqual(['....', '..##', '..##', '....']);
  });

  it('ignores degenerate rings', () => {
    expect(polygonMask({ rings: [[1, 1, 5, 5]], fillRule: 'nonzero' }, 8, 8).width).toBe(0);
    expect(polygonMask({ rings: [[1, 1, 5, 1, 3, 1]], fillRule: 'nonzero' }, 8, 8).bits.every((b) => b === 0)).toBe(
      true,
    );
  });

  const coord = fc.integer({ min: -64, max: 36 * 16 }).map((v) => v / 16);
  const ring = fc.array(fc.tuple(coord, coord), { minLength: 3, maxLength: 9 }).map((pts) => pts.flat());

  it('matches the one-pixel-at-a-time reference on random polygons with holes (both rules)', () => {
    fc.assert(
      fc.property(
        ring,
        fc.array(ring, { maxLength: 2 }),
        fc.constantFrom<FillRule>('nonzero', 'evenodd'),
        (outer, holes, rule) => {
          const rings = [outer, ...holes];
          expect(toArt(maskToMap(polygonMask({ rings, fillRule: rule }, 32, 32), 32, 32))).toEqual(
            toArt(referencePolygon(rings, rule, 32, 32)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tiles: the fan triangles of a star-shaped polygon cover each of its pixels exactly once', () => {
    // k ≥ 4 vertices at angles 2π(i + jitter)/k: every angular gap stays below π, so the fan has one orientation.
    const star = fc
      .array(fc.tuple(fc.double({ min: 0, max: 0.9, noNaN: true }), fc.integer({ min: 4, max: 15 })), {
        minLength: 4,
        maxLength: 10,
      })
      .map((pts) =>
        pts.map(([jitter, r], i) => {
          const a = (2 * Math.PI * (i + jitter)) / pts.length;
          return [Math.round((16 + r * Math.cos(a)) * 16) / 16, Math.round((16 + r * Math.sin(a)) * 16) / 16];
        }),
      );
    fc.assert(
      fc.property(star, (pts) => {
        const whole = maskToMap(polygonMask({ rings: [pts.flat()], fillRule: 'nonzero' }, 32, 32), 32, 32);
        const count = new Uint8Array(32 * 32);
        pts.forEach((p, i) => {
          const q = pts[(i + 1) % pts.length];
          const tri = maskToMap(polygonMask({ rings: [[16, 16, ...p, ...q]], fillRule: 'nonzero' }, 32, 32), 32, 32);
          tri.pixels.forEach((v, k) => (count[k] += v));
        });
        expect(Array.from(count)).toEqual(Array.from(whole.pixels));
      }),
      { numRuns: 200 },
    );
  });
});
