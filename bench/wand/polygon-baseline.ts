/**
 * The polygon baseline: the fewest vertices a careful polygon labeler needs for a region. The region's
 * exact contours (every component's outline and every hole's, vertices on pixel corners, src/shared/
 * contours.ts) are simplified by Douglas–Peucker at a sweep of tolerances; at each, the rings are kept
 * largest first (a labeler skips holes and islands that do not pay for their vertices) and rasterized by
 * the canvas's own rasterizer (src/shared/raster/polygon.ts, even-odd, so holes cut). For each IoU target
 * the answer is the fewest vertices that reach it; the best IoU within k vertices stands in for "IoU
 * after k clicks".
 */
import { labelRegions, traceOuterBoundary } from '../../src/shared/contours';
import { lockTable } from '../../src/shared/raster/label-raster';
import { paintMask } from '../../src/shared/raster/paint';
import { polygonMask } from '../../src/shared/raster/polygon';
import { iou } from './protocol';

const EPSILONS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64];

/** Perpendicular distance of (px, py) from the segment a–b. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** Douglas–Peucker on the open chain ring[i..j] (vertex indices), marking kept vertices. */
function simplifyChain(ring: readonly number[], i: number, j: number, eps: number, keep: Uint8Array): void {
  let worst = -1;
  let far = 0;
  const n = ring.length / 2;
  for (let k = i + 1; k < j; k++) {
    const d = segmentDistance(
      ring[2 * (k % n)],
      ring[2 * (k % n) + 1],
      ring[2 * (i % n)],
      ring[2 * (i % n) + 1],
      ring[2 * (j % n)],
      ring[2 * (j % n) + 1],
    );
    if (d > far) {
      far = d;
      worst = k;
    }
  }
  if (worst < 0 || far <= eps) return;
  keep[worst % n] = 1;
  simplifyChain(ring, i, worst, eps, keep);
  simplifyChain(ring, worst, j, eps, keep);
}

/** A closed ring simplified: split at vertex 0 and the vertex farthest from it, each half by Douglas–Peucker. */
export function simplifyRing(ring: readonly number[], eps: number): number[] {
  const n = ring.length / 2;
  if (n <= 3) return [...ring];
  let far = 1;
  for (let k = 1; k < n; k++)
    if (
      Math.hypot(ring[2 * k] - ring[0], ring[2 * k + 1] - ring[1]) >
      Math.hypot(ring[2 * far] - ring[0], ring[2 * far + 1] - ring[1])
    )
      far = k;
  const keep = new Uint8Array(n);
  keep[0] = keep[far] = 1;
  simplifyChain(ring, 0, far, eps, keep);
  simplifyChain(ring, far, n, eps, keep);
  const out: number[] = [];
  for (let k = 0; k < n; k++) if (keep[k]) out.push(ring[2 * k], ring[2 * k + 1]);
  return out;
}

/** Every outline of the region: each component's outer boundary and each hole's (a background component not touching the border). */
export function regionRings(mask: Uint8Array, width: number, height: number): { ring: number[]; area: number }[] {
  const { regionOf, firstPixel, area } = labelRegions(mask, width, height);
  const touchesBorder = new Uint8Array(firstPixel.length);
  for (let x = 0; x < width; x++) touchesBorder[regionOf[x]] = touchesBorder[regionOf[(height - 1) * width + x]] = 1;
  for (let y = 0; y < height; y++)
    touchesBorder[regionOf[y * width]] = touchesBorder[regionOf[y * width + width - 1]] = 1;
  const rings: { ring: number[]; area: number }[] = [];
  for (let r = 0; r < firstPixel.length; r++) {
    if (!mask[firstPixel[r]] && touchesBorder[r]) continue;
    rings.push({ ring: traceOuterBoundary(regionOf, width, height, r, firstPixel[r]), area: area[r] });
  }
  return rings.sort((a, b) => b.area - a.area);
}

export interface PolygonCost {
  /** Fewest vertices reaching each IoU target (Infinity when no simplification does). */
  vertices: Record<'iou85' | 'iou90', number>;
  /** Best IoU with at most k vertices, for k = 1 … maxVertices. */
  bestIouWithin: number[];
}

export function polygonCost(truth: Uint8Array, width: number, height: number, maxVertices = 20): PolygonCost {
  const rings = regionRings(truth, width, height);
  const vertices = { iou85: Infinity, iou90: Infinity };
  const best = new Array<number>(maxVertices).fill(0);
  for (const eps of EPSILONS) {
    const simple = rings.map((r) => simplifyRing(r.ring, eps)).filter((r) => r.length >= 6);
    for (let k = 1; k <= simple.length; k++) {
      const used = simple.slice(0, k);
      const count = used.reduce((a, r) => a + r.length / 2, 0);
      const pixels = new Uint8Array(width * height);
      paintMask(
        { width, height, pixels },
        polygonMask({ rings: used, fillRule: 'evenodd' }, width, height),
        1,
        lockTable(),
      );
      const v = iou(pixels, truth);
      if (v >= 0.85) vertices.iou85 = Math.min(vertices.iou85, count);
      if (v >= 0.9) vertices.iou90 = Math.min(vertices.iou90, count);
      for (let c = count; c <= maxVertices; c++) best[c - 1] = Math.max(best[c - 1], v);
    }
  }
  return { vertices, bestIouWithin: best };
}
