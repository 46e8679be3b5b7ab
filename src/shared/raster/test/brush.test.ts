import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capsuleMask, snapStampCenter, snapStroke, strokeMask } from '../brush';
import { maskToMap, referenceStroke, toArt } from './pixel-art';

const stroke = (points: number[], size: number, w: number, h: number) =>
  toArt(maskToMap(strokeMask(points, size, w, h), w, h));

describe('round brush strokes', () => {
  it('paints exactly the pixel under the pointer with a 1-pixel brush', () => {
    expect(stroke([3.2, 1.7], 1, 5, 3)).toEqual(['.....', '...#.', '.....']);
  });

  it('snaps odd sizes to pixel centres and even sizes to pixel corners', () => {
    expect(snapStampCenter(3.2, 1.7, 3)).toEqual([3.5, 1.5]);
    expect(snapStampCenter(3.4, 1.6, 2)).toEqual([3, 2]);
    expect(stroke([3.4, 1.6], 2, 5, 4)).toEqual(['.....', '..##.', '..##.', '.....']);
    expect(stroke([2.5, 2.5], 3, 5, 5)).toEqual(['.....', '.###.', '.###.', '.###.', '.....']);
    expect(stroke([3.5, 3.5], 5, 7, 7)).toEqual([
      '.......',
      '..###..',
      '.#####.',
      '.#####.',
      '.#####.',
      '..###..',
      '.......',
    ]);
  });

  it('draws 1-pixel lines: horizontal runs and 8-connected diagonals', () => {
    expect(stroke([1.5, 1.5, 6.5, 1.5], 1, 8, 3)).toEqual(['........', '.######.', '........']);
    expect(stroke([0.5, 0.5, 4.5, 4.5], 1, 5, 5)).toEqual(['#....', '.#...', '..#..', '...#.', '....#']);
  });

  it('paints a large round stamp symmetric and equal to the reference', () => {
    const m = maskToMap(strokeMask([32, 32], 40, 64, 64), 64, 64);
    expect(toArt(m)).toEqual(toArt(referenceStroke([32, 32], 40, 64, 64)));
    const area = m.pixels.reduce((s, v) => s + v, 0);
    expect(area).toBeGreaterThan(Math.PI * 20 * 20 * 0.97);
    expect(area).toBeLessThan(Math.PI * 20 * 20 * 1.03);
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++) expect(m.pixels[y * 64 + x]).toBe(m.pixels[x * 64 + 63 - y]);
  });

  it('clips a stroke across the edges without wrapping into neighbouring rows', () => {
    expect(stroke([-10, 2.5, 2.5, 2.5], 3, 6, 5)).toEqual(['......', '####..', '####..', '####..', '......']);
    expect(stroke([4.5, 1.5, 12, 1.5], 3, 6, 4)).toEqual(['...###', '...###', '...###', '......']);
    expect(strokeMask([-20, -20, -10, -10], 4, 8, 8).width).toBe(0);
  });

  it('paints the same pixels stamp by stamp as in one go', () => {
    const pts = [1.2, 3.3, 7.9, 4.1, 9.6, 11.2, 2.2, 9.9];
    const whole = maskToMap(strokeMask(pts, 4, 14, 14), 14, 14);
    const parts = new Uint8Array(14 * 14);
    for (let i = 0; i + 3 < pts.length; i += 2) {
      const m = maskToMap(capsuleMask([pts[i], pts[i + 1]], [pts[i + 2], pts[i + 3]], 4, 14, 14), 14, 14);
      m.pixels.forEach((v, k) => (parts[k] |= v));
    }
    expect(Array.from(parts)).toEqual(Array.from(whole.pixels));
  });

  it('matches the exact reference on random strokes of every size', () => {
    const coord = fc.integer({ min: -8 * 16, max: 40 * 16 }).map((v) => v / 16);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(coord, coord), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 14 }),
        (pts, size) => {
          const flat = pts.flat();
          expect(stroke(flat, size, 32, 32)).toEqual(toArt(referenceStroke(snapStroke(flat, size), size, 32, 32)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses sizes that are not whole pixels', () => {
    expect(() => strokeMask([1, 1], 0, 4, 4)).toThrow(RangeError);
    expect(() => strokeMask([1, 1], 2.5, 4, 4)).toThrow(RangeError);
  });
});
