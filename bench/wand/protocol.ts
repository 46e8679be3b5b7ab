/**
 * The interactive-segmentation click protocol (RITM / SAM evaluations), as bench/wand.ts runs it on each
 * class region of each annotated sample: the first click at the point of the region farthest from its
 * boundary; every next click at the interior-most point of the largest error region (missed area → a
 * positive click, wrongly included area → a negative one), up to 20 clicks; the IoU after each click.
 * Regions, errors and distances are 4-connected pixel sets on the label grid; the image border counts
 * as boundary.
 */
import { labelRegions } from '../../src/shared/contours';

export interface ProtocolClick {
  x: number;
  y: number;
  positive: boolean;
}

export const MAX_CLICKS = 20;

/** Squared Euclidean distance transform along one line (Felzenszwalb & Huttenlocher). */
function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  const s = (q: number, p: number) => (f[q] + q * q - (f[p] + p * p)) / (2 * q - 2 * p);
  for (let q = 1; q < n; q++) {
    let t = s(q, v[k]);
    while (t <= z[k]) t = s(q, v[--k]);
    v[++k] = q;
    z[k] = t;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    d[q] = (q - v[k]) ** 2 + f[v[k]];
  }
}

/** For each pixel of `mask`, its squared distance to the nearest pixel outside it (beyond the border counts). */
export function distanceInside(mask: Uint8Array, width: number, height: number): Float64Array {
  const w = width + 2;
  const h = height + 2;
  const g = new Float64Array(w * h);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) if (mask[y * width + x]) g[(y + 1) * w + x + 1] = 1e20;
  const n = Math.max(w, h);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) f[y] = g[y * w + x];
    edt1d(f, h, d, v, z);
    for (let y = 0; y < h; y++) g[y * w + x] = d[y];
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) f[x] = g[y * w + x];
    edt1d(f, w, d, v, z);
    for (let x = 0; x < w; x++) g[y * w + x] = d[x];
  }
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = g[(y + 1) * w + x + 1];
  return out;
}

/** The pixel of `mask` farthest from its boundary (the first in raster order among equals), or -1. */
export function interiorMost(mask: Uint8Array, width: number, height: number): number {
  const d = distanceInside(mask, width, height);
  let best = -1;
  for (let i = 0; i < d.length; i++) if (mask[i] && (best < 0 || d[i] > d[best])) best = i;
  return best;
}

export function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const p = a[i] !== 0;
    const q = b[i] !== 0;
    if (p && q) inter++;
    if (p || q) union++;
  }
  return union === 0 ? 1 : inter / union;
}

/** The largest 4-connected component of `mask` as a 0/1 map with its size, or null when the mask is empty. */
function largestComponent(mask: Uint8Array, width: number, height: number): { map: Uint8Array; size: number } | null {
  const { regionOf, firstPixel, area } = labelRegions(mask, width, height);
  let best = -1;
  for (let r = 0; r < firstPixel.length; r++) if (mask[firstPixel[r]] && (best < 0 || area[r] > area[best])) best = r;
  if (best < 0) return null;
  return { map: Uint8Array.from(regionOf, (r) => (r === best ? 1 : 0)), size: area[best] };
}

/** The protocol's next click for this truth and prediction (null prediction: the first click), or null when they agree. */
export function nextClick(
  truth: Uint8Array,
  pred: Uint8Array | null,
  width: number,
  height: number,
): ProtocolClick | null {
  const missed = Uint8Array.from(truth, (t, i) => (t && !pred?.[i] ? 1 : 0));
  const extra = Uint8Array.from(truth, (t, i) => (!t && pred?.[i] ? 1 : 0));
  const a = largestComponent(missed, width, height);
  const b = largestComponent(extra, width, height);
  const pick = a && (!b || a.size >= b.size) ? { ...a, positive: true } : b ? { ...b, positive: false } : null;
  if (!pick) return null;
  const i = interiorMost(pick.map, width, height);
  return { x: i % width, y: Math.floor(i / width), positive: pick.positive };
}

/** Runs the protocol against a segmenter (clicks so far → mask); the IoU after each of up to 20 clicks. */
export async function simulateClicks(
  truth: Uint8Array,
  width: number,
  height: number,
  segment: (clicks: ProtocolClick[]) => Promise<Uint8Array> | Uint8Array,
  maxClicks = MAX_CLICKS,
): Promise<number[]> {
  const clicks: ProtocolClick[] = [];
  const ious: number[] = [];
  let pred: Uint8Array | null = null;
  for (let k = 0; k < maxClicks; k++) {
    const c = nextClick(truth, pred, width, height);
    if (!c) {
      ious.push(1); // nothing left to correct
      continue;
    }
    clicks.push(c);
    pred = await segment(clicks);
    ious.push(iou(pred, truth));
  }
  return ious;
}

/** Clicks to reach `threshold` (the cap when never). */
export function clicksTo(ious: readonly number[], threshold: number, cap = MAX_CLICKS): number {
  const k = ious.findIndex((v) => v >= threshold);
  return k < 0 ? cap : k + 1;
}
