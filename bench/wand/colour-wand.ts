/**
 * The image-only baseline: a colour flood fill (a paint program's magic wand) with the click protocol.
 * A positive click adds the 4-connected pixels whose RGB colour lies within `tolerance` (Euclidean, 0–255
 * per channel) of the clicked pixel's; a negative click removes its own such region. The flood itself is
 * the canvas's fill (src/shared/raster/flood-fill.ts) over the within-tolerance map.
 */
import { floodRegion } from '../../src/shared/raster/flood-fill';
import { lockTable } from '../../src/shared/raster/label-raster';
import { paintMask } from '../../src/shared/raster/paint';
import type { ProtocolClick } from './protocol';

/** Tolerances bench/wand.ts sweeps per region, keeping the best (a generous baseline). */
export const COLOUR_TOLERANCES = [4, 8, 12, 16, 24, 32, 48, 64, 96, 128];

export function colourWand(rgb: Uint8Array, width: number, height: number, tolerance: number) {
  const cache = new Map<number, Uint8Array>();
  const regionAt = (x: number, y: number): Uint8Array => {
    const key = y * width + x;
    let region = cache.get(key);
    if (!region) {
      const [r, g, b] = rgb.subarray(3 * key, 3 * key + 3);
      const t2 = tolerance * tolerance;
      const near = new Uint8Array(width * height);
      for (let i = 0; i < near.length; i++) {
        const dr = rgb[3 * i] - r;
        const dg = rgb[3 * i + 1] - g;
        const db = rgb[3 * i + 2] - b;
        near[i] = dr * dr + dg * dg + db * db <= t2 ? 1 : 0;
      }
      region = new Uint8Array(width * height);
      paintMask({ width, height, pixels: region }, floodRegion({ width, height, pixels: near }, x, y), 1, lockTable());
      cache.set(key, region);
    }
    return region;
  };
  return (clicks: readonly ProtocolClick[]): Uint8Array => {
    const mask = new Uint8Array(width * height);
    for (const c of clicks) {
      const region = regionAt(c.x, c.y);
      for (let i = 0; i < mask.length; i++) if (region[i]) mask[i] = c.positive ? 1 : 0;
    }
    return mask;
  };
}
