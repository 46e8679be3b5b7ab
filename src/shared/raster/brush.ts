/**
 * Round brush strokes. A brush of size s (image pixels, the stamp's diameter) stamps a disc of radius
 * s/2; a stroke is the union of the capsules (discs swept along segments) between its successive
 * points. A pixel is covered when its centre lies within distance s/2 of the stroke's polyline,
 * boundary included.
 *
 * Stamp centres snap to the grid that makes every size symmetric: pixel centres for odd sizes, pixel
 * corners for even ones. A size-1 brush then paints exactly the pixel under the pointer and a size-2
 * brush a 2×2 block. All arithmetic on snapped points is done in half-pixel integers and the boundary
 * pixels of each row are decided by an exact test, so no pixel depends on float rounding.
 */
import type { CoverageMask, PixelRect, SpanSink } from './label-raster';
import { emptyMask, isEmptyRect, maskFromSpans, unionRect } from './label-raster';

/** Largest brush, in image pixels. */
export const MAX_BRUSH_SIZE = 512;

/** Where a stamp of this size centred near (x, y) is really centred. */
export function snapStampCenter(x: number, y: number, size: number): [number, number] {
  return size % 2 === 1 ? [Math.floor(x) + 0.5, Math.floor(y) + 0.5] : [Math.round(x), Math.round(y)];
}

export function checkBrushSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > MAX_BRUSH_SIZE) {
    throw new RangeError(`A brush size is a whole number of pixels from 1 to ${MAX_BRUSH_SIZE}, not ${size}`);
  }
}

/** |v| below this keeps a product of two such numbers exact in a double. */
const EXACT = 2 ** 26;

/**
 * Exact test: is the pixel centre (cx2, cy2) — in half pixels — within radius r2 (half pixels) of the
 * segment (ax, ay)–(bx, by) (half pixels, integers)?
 */
function capsuleHolds(ax: number, ay: number, bx: number, by: number, r2: number, cx2: number, cy2: number): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  const ex = cx2 - ax;
  const ey = cy2 - ay;
  const rr = r2 * r2;
  const len2 = dx * dx + dy * dy;
  const dot = dx * ex + dy * ey;
  if (len2 === 0 || dot <= 0) return ex * ex + ey * ey <= rr;
  if (dot >= len2) return (cx2 - bx) ** 2 + (cy2 - by) ** 2 <= rr;
  const cross = dx * ey - dy * ex;
  if (Math.abs(cross) < EXACT && rr < EXACT && len2 < EXACT) return cross * cross <= rr * len2;
  const c = BigInt(cross);
  return c * c <= BigInt(rr) * BigInt(len2);
}

/** [lo, hi] of x where the row y = cy meets the capsule of radius r, in floats (null: it misses). */
function capsuleRowInterval(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  r: number,
  cy: number,
): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const [px, py] of [
    [ax, ay],
    [bx, by],
  ]) {
    const dy = cy - py;
    if (Math.abs(dy) <= r) {
      const w = Math.sqrt(r * r - dy * dy);
      lo = Math.min(lo, px - w);
      hi = Math.max(hi, px + w);
    }
  }
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  if (len2 > 0) {
    // Points (x, cy) with 0 ≤ t ≤ 1 (projection) and |cross| ≤ r·len: each bound is linear in x.
    let bandLo = -Infinity;
    let bandHi = Infinity;
    const bound = (slope: number, offset: number, min: number, max: number): boolean => {
      // min ≤ slope·x + offset ≤ max
      if (slope === 0) return offset >= min && offset <= max;
      const u = (min - offset) / slope;
      const v = (max - offset) / slope;
      bandLo = Math.max(bandLo, Math.min(u, v));
      bandHi = Math.min(bandHi, Math.max(u, v));
      return true;
    };
    const len = Math.sqrt(len2);
    const ok =
      bound(dx, (cy - ay) * dy - ax * dx, 0, len2) && // t·len² = (x − ax)·dx + (cy − ay)·dy
      bound(-dy, dx * (cy - ay) + dy * ax, -r * len, r * len); // cross = dx·(cy − ay) − dy·(x − ax)
    if (ok && bandLo <= bandHi) {
      lo = Math.min(lo, bandLo);
      hi = Math.max(hi, bandHi);
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Pixels the capsule between two snapped points could cover, clipped to the image. */
function capsuleBounds(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  r: number,
  width: number,
  height: number,
): PixelRect {
  const x0 = Math.max(0, Math.ceil(Math.min(ax, bx) - r - 0.5));
  const y0 = Math.max(0, Math.ceil(Math.min(ay, by) - r - 0.5));
  const x1 = Math.min(width, Math.floor(Math.max(ax, bx) + r - 0.5) + 1);
  const y1 = Math.min(height, Math.floor(Math.max(ay, by) + r - 0.5) + 1);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/**
 * Emit the spans of the capsule of diameter `size` between a and b (snapped stamp centres, image
 * pixels), clipped to the image.
 */
export function scanCapsule(
  a: readonly [number, number],
  b: readonly [number, number],
  size: number,
  width: number,
  height: number,
  sink: SpanSink,
): void {
  const r = size / 2;
  const [ax, ay] = a;
  const [bx, by] = b;
  const box = capsuleBounds(ax, ay, bx, by, r, width, height);
  if (isEmptyRect(box)) return;
  const holds = (px: number, py: number): boolean =>
    capsuleHolds(2 * ax, 2 * ay, 2 * bx, 2 * by, size, 2 * px + 1, 2 * py + 1);
  for (let y = box.y; y < box.y + box.height; y++) {
    // A hair wider than r, so a row that only touches the capsule still yields an interval.
    const iv = capsuleRowInterval(ax, ay, bx, by, r + 1e-9, y + 0.5);
    // The float interval, widened by one pixel, holds the exact one; its ends are then settled exactly.
    let lo = Math.max(box.x, iv ? Math.ceil(iv[0] - 0.5) - 1 : box.x);
    let hi = Math.min(box.x + box.width - 1, iv ? Math.floor(iv[1] - 0.5) + 1 : box.x - 1);
    while (lo <= hi && !holds(lo, y)) lo++;
    while (hi >= lo && !holds(hi, y)) hi--;
    if (lo <= hi) sink(y, lo, hi + 1);
  }
}

/** The stamp centres of a stroke's points for this brush size (consecutive repeats dropped). */
export function snapStroke(points: readonly number[], size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const [x, y] = snapStampCenter(points[i], points[i + 1], size);
    if (out.length >= 2 && out[out.length - 2] === x && out[out.length - 1] === y) continue;
    out.push(x, y);
  }
  return out;
}

/**
 * The pixels of the capsule from stamp centre a to b (a = b: one stamp). Points are snapped here too,
 * so raw pointer positions may be passed.
 */
export function capsuleMask(
  a: readonly [number, number],
  b: readonly [number, number],
  size: number,
  width: number,
  height: number,
): CoverageMask {
  checkBrushSize(size);
  const sa = snapStampCenter(a[0], a[1], size);
  const sb = snapStampCenter(b[0], b[1], size);
  const box = capsuleBounds(sa[0], sa[1], sb[0], sb[1], size / 2, width, height);
  return maskFromSpans(box, (sink) => scanCapsule(sa, sb, size, width, height, sink));
}

/** The pixels of a whole stroke: flat points [x0, y0, x1, y1, …], snapped to the stamp grid. */
export function strokeMask(points: readonly number[], size: number, width: number, height: number): CoverageMask {
  checkBrushSize(size);
  const c = snapStroke(points, size);
  if (c.length === 0) return emptyMask();
  const r = size / 2;
  let box: PixelRect = { x: 0, y: 0, width: 0, height: 0 };
  const segments: [[number, number], [number, number]][] = [];
  for (let i = 0; i < Math.max(1, c.length / 2 - 1); i++) {
    const a: [number, number] = [c[2 * i], c[2 * i + 1]];
    const b: [number, number] = c.length >= 4 ? [c[2 * i + 2], c[2 * i + 3]] : a;
    segments.push([a, b]);
    box = unionRect(box, capsuleBounds(a[0], a[1], b[0], b[1], r, width, height));
  }
  return maskFromSpans(box, (sink) => {
    for (const [a, b] of segments) scanCapsule(a, b, size, width, height, sink);
  });
}
