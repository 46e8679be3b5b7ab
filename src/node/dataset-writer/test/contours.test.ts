import { describe, expect, it } from 'vitest';
import { labelRegions, regionPolygons } from '../../../shared/contours';
import { SeededRng } from '../../../shared/rng';
import { fillHoles, rasterizePolygon } from './helpers';

/** Mask from rows of characters: '.' = 0, digits = class ids. */
function mask(rows: string[]): { labels: Uint8Array; w: number; h: number } {
  const h = rows.length;
  const w = rows[0].length;
  const labels = new Uint8Array(w * h);
  rows.forEach((r, y) =>
    [...r].forEach((c, x) => {
      labels[y * w + x] = c === '.' ? 0 : Number(c);
    }),
  );
  return { labels, w, h };
}

describe('contours', () => {
  it('traces a single pixel as its four corners, clockwise in image coordinates', () => {
    const { labels, w, h } = mask(['...', '.1.', '...']);
    const polys = regionPolygons(labels, w, h, 0);
    expect(polys).toEqual([{ classId: 1, area: 1, polygon: [1, 1, 2, 1, 2, 2, 1, 2] }]);
  });

  it('keeps only corners of an L shape', () => {
    const { labels, w, h } = mask(['11.', '1..', '1..']);
    const [p] = regionPolygons(labels, w, h, 0);
    expect(p.polygon).toEqual([0, 0, 2, 0, 2, 1, 1, 1, 1, 3, 0, 3]);
    expect(p.area).toBe(4);
  });

  it('treats diagonal contact as two regions (4-connectivity)', () => {
    const { labels, w, h } = mask(['1.', '.1']);
    const polys = regionPolygons(labels, w, h, 0);
    expect(polys.map((p) => p.polygon)).toEqual([
      [0, 0, 1, 0, 1, 1, 0, 1],
      [1, 1, 2, 1, 2, 2, 1, 2],
    ]);
  });

  it('traces a region that touches itself at a corner, and the whole image border', () => {
    const { labels, w, h } = mask(['111', '1.1', '11.', '1..']);
    // One region: the pixel at (1,2) touches (2,1) only diagonally but both belong via the frame.
    const polys = regionPolygons(labels, w, h, 0);
    expect(polys.length).toBe(1);
    const r = rasterizePolygon(polys[0].polygon, w, h);
    const isOne = Uint8Array.from(labels, (v) => (v === 1 ? 1 : 0));
    expect([...r]).toEqual([...fillHoles(isOne, w, h)]);
  });

  it('leaves holes out: a ring becomes its outer square (documented limit)', () => {
    const { labels, w, h } = mask(['2222', '2..2', '2..2', '2222']);
    const polys = regionPolygons(labels, w, h, 0);
    const ring = polys.find((p) => p.classId === 2)!;
    expect(ring.polygon).toEqual([0, 0, 4, 0, 4, 4, 0, 4]);
    expect(ring.area).toBe(12);
    expect(polys.length).toBe(1); // the hole is background, skipped
  });

  it('rasterises back to each region with its holes filled, on random masks', () => {
    for (let trial = 0; trial < 300; trial++) {
      const rng = new SeededRng(trial);
      const w = 1 + Math.floor(rng.nextDouble() * 14);
      const h = 1 + Math.floor(rng.nextDouble() * 14);
      const classes = 2 + Math.floor(rng.nextDouble() * 3);
      const labels = new Uint8Array(w * h);
      for (let i = 0; i < labels.length; i++) labels[i] = Math.floor(rng.nextDouble() * classes);
      const { regionOf, firstPixel } = labelRegions(labels, w, h);
      const polys = regionPolygons(labels, w, h);
      expect(polys.length).toBe(firstPixel.length);
      polys.forEach((p, r) => {
        const region = Uint8Array.from(regionOf, (v) => (v === r ? 1 : 0));
        expect(p.area).toBe(region.reduce((a, b) => a + b, 0));
        expect(p.classId).toBe(labels[firstPixel[r]]);
        const raster = rasterizePolygon(p.polygon, w, h);
        expect([...raster], `trial ${trial} region ${r}`).toEqual([...fillHoles(region, w, h)]);
      });
    }
  });
});
