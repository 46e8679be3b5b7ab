import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floodRegion } from '../flood-fill';
import type { LabelRaster } from '../label-raster';
import { lockTable } from '../label-raster';
import { paintMask } from '../paint';
import { art, maskToMap, toArt } from './pixel-art';

describe('flood fill', () => {
  it('does not cross diagonal contacts', () => {
    const map = art(['##..', '##..', '..##', '..##']);
    paintMask(map, floodRegion(map, 0, 0), 2, lockTable());
    expect(toArt(map)).toEqual(['22..', '22..', '..##', '..##']);
    paintMask(map, floodRegion(map, 3, 0), 3, lockTable());
    expect(toArt(map)).toEqual(['2233', '2233', '..##', '..##']);
  });

  it('fills the inside of a ring without leaking through a diagonal gap', () => {
    const map = art(['.###.', '#...#', '#...#', '#...#', '.###.']);
    paintMask(map, floodRegion(map, 2, 2), 4, lockTable());
    expect(toArt(map)).toEqual(['.###.', '#444#', '#444#', '#444#', '.###.']);
  });

  it('fills a winding region in one go', () => {
    const map = art(['.#...', '.#.#.', '.#.#.', '...#.', '####.']);
    paintMask(map, floodRegion(map, 0, 0), 5, lockTable());
    expect(toArt(map)).toEqual(['5#555', '5#5#5', '5#5#5', '555#5', '####5']);
  });

  it('leaves a locked class alone', () => {
    const map = art(['##..', '##..']);
    expect(paintMask(map, floodRegion(map, 0, 0), 2, lockTable([1]))).toBeNull();
    expect(toArt(map)).toEqual(['##..', '##..']);
  });

  it('returns nothing for a seed outside the image', () => {
    expect(floodRegion(art(['#']), 1, 0).width).toBe(0);
    expect(floodRegion(art(['#']), -1, 0).width).toBe(0);
  });

  const smallMap = fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }))
    .chain(([w, h]) =>
      fc
        .uint8Array({ minLength: w * h, maxLength: w * h, min: 0, max: 2 })
        .map((pixels): LabelRaster => ({ width: w, height: h, pixels })),
    );

  it('finds a connected, single-class, maximal region', () => {
    fc.assert(
      fc.property(smallMap, fc.nat(), (map, seed) => {
        const { width: w, height: h } = map;
        const s = seed % (w * h);
        const region = maskToMap(floodRegion(map, s % w, Math.floor(s / w)), w, h).pixels;
        const cls = map.pixels[s];
        const n = (i: number) =>
          [i % w > 0 ? i - 1 : -1, i % w < w - 1 ? i + 1 : -1, i - w, i + w].filter((j) => j >= 0 && j < w * h);
        // Single class, and maximal: no same-class 4-neighbour is left out.
        for (let i = 0; i < w * h; i++) {
          if (!region[i]) continue;
          expect(map.pixels[i]).toBe(cls);
          for (const j of n(i)) if (map.pixels[j] === cls) expect(region[j]).toBe(1);
        }
        // Connected: a walk from the seed inside the region reaches every region pixel.
        const reached = new Uint8Array(w * h);
        const stack = [s];
        reached[s] = 1;
        while (stack.length)
          for (const j of n(stack.pop()!))
            if (region[j] && !reached[j]) {
              reached[j] = 1;
              stack.push(j);
            }
        expect(Array.from(reached)).toEqual(Array.from(region));
      }),
      { numRuns: 300 },
    );
  });
});
