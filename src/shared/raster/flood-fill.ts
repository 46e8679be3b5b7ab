/**
 * Flood fill on the label map: the 4-connected region of equal class around a seed pixel, found with a
 * span (scanline) fill — each step takes a whole horizontal run and seeds the rows above and below once
 * per run, so the stack stays small even on a 1024² region. Diagonal neighbours are not connected.
 */
import type { CoverageMask, LabelRaster } from './label-raster';
import { emptyMask } from './label-raster';

/** The connected region (4-neighbourhood, same class) containing pixel (x, y); empty outside the image. */
export function floodRegion(raster: LabelRaster, x: number, y: number): CoverageMask {
  const { width, height, pixels } = raster;
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= width || y >= height) return emptyMask();
  const target = pixels[y * width + x];
  const seen = new Uint8Array(width * height);
  let minX = x;
  let maxX = x;
  let minY = y;
  let maxY = y;
  const stack: number[] = [x, y];
  while (stack.length > 0) {
    const sy = stack.pop()!;
    const sx = stack.pop()!;
    const row = sy * width;
    if (seen[row + sx] === 1 || pixels[row + sx] !== target) continue;
    let l = sx;
    while (l > 0 && seen[row + l - 1] === 0 && pixels[row + l - 1] === target) l--;
    let r = sx;
    while (r < width - 1 && seen[row + r + 1] === 0 && pixels[row + r + 1] === target) r++;
    seen.fill(1, row + l, row + r + 1);
    if (l < minX) minX = l;
    if (r > maxX) maxX = r;
    if (sy < minY) minY = sy;
    if (sy > maxY) maxY = sy;
    for (const ny of [sy - 1, sy + 1]) {
      if (ny < 0 || ny >= height) continue;
      const nrow = ny * width;
      let inRun = false;
      for (let nx = l; nx <= r; nx++) {
        const open = seen[nrow + nx] === 0 && pixels[nrow + nx] === target;
        if (open && !inRun) stack.push(nx, ny);
        inRun = open;
      }
    }
  }
  const w = maxX - minX + 1;
  const h = maxY - minY + 1;
  const bits = new Uint8Array(w * h);
  for (let r = 0; r < h; r++) bits.set(seen.subarray((minY + r) * width + minX, (minY + r) * width + minX + w), r * w);
  return { x: minX, y: minY, width: w, height: h, bits };
}
