/** Test helpers: whole-folder comparison, polygon rasterisation at pixel centres, hole filling. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Relative paths of every file under `dir`, sorted. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** Files that differ between two folders (missing on one side or different bytes). */
export function treeDifferences(a: string, b: string): string[] {
  const fa = listFiles(a);
  const fb = listFiles(b);
  const diff = [
    ...fa.filter((f) => !fb.includes(f)).map((f) => `only in first: ${f}`),
    ...fb.filter((f) => !fa.includes(f)).map((f) => `only in second: ${f}`),
  ];
  for (const f of fa)
    if (fb.includes(f) && !readFileSync(join(a, f)).equals(readFileSync(join(b, f)))) diff.push(`differs: ${f}`);
  return diff;
}

/**
 * Pixels whose centre lies inside a polygon (even-odd rule), for the axis-aligned or general polygon
 * `flat` = [x0, y0, x1, y1, …]. Written independently of src/shared/contours.ts.
 */
export function rasterizePolygon(
  flat: readonly number[],
  width: number,
  height: number,
  into?: Uint8Array,
): Uint8Array {
  const out = into ?? new Uint8Array(width * height);
  const n = flat.length / 2;
  for (let y = 0; y < height; y++) {
    const yc = y + 0.5;
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const x0 = flat[2 * i],
        y0 = flat[2 * i + 1];
      const x1 = flat[(2 * i + 2) % flat.length],
        y1 = flat[(2 * i + 3) % flat.length];
      if (y0 <= yc !== y1 <= yc) xs.push(x0 + ((yc - y0) * (x1 - x0)) / (y1 - y0));
    }
    xs.sort((p, q) => p - q);
    for (let j = 0; j + 1 < xs.length; j += 2) {
      for (let x = Math.max(0, Math.ceil(xs[j] - 0.5)); x < width && x + 0.5 < xs[j + 1]; x++) out[y * width + x] = 1;
    }
  }
  return out;
}

/** mask ∪ every non-mask pixel that cannot reach the border through non-mask pixels (8-neighbourhood). */
export function fillHoles(mask: Uint8Array, width: number, height: number): Uint8Array {
  const outside = new Uint8Array(width * height);
  const stack: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if ((x === 0 || y === 0 || x === width - 1 || y === height - 1) && !mask[i]) {
        outside[i] = 1;
        stack.push(i);
      }
    }
  }
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % width,
      y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx,
          ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const j = ny * width + nx;
        if (!mask[j] && !outside[j]) {
          outside[j] = 1;
          stack.push(j);
        }
      }
  }
  const filled = new Uint8Array(width * height);
  for (let i = 0; i < filled.length; i++) filled[i] = outside[i] ? 0 : 1;
  return filled;
}
