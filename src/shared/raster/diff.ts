/**
 * Label diffs: what one edit changed, as the bounding box of the changed pixels plus their bytes
 * before and after. Undo writes `before` back, redo writes `after`; a history of diffs costs memory in
 * proportion to what was edited, not to the image.
 */
import type { LabelRaster, PixelRect } from './label-raster';
import { isEmptyRect, unionRect } from './label-raster';

export interface LabelDiff extends PixelRect {
  /** width·height bytes of the rectangle, row-major, before and after the edit. */
  before: Uint8Array;
  after: Uint8Array;
}

/** A copy of the raster's pixels inside rect. */
export function cropPixels(raster: LabelRaster, rect: PixelRect): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height);
  for (let r = 0; r < rect.height; r++) {
    const start = (rect.y + r) * raster.width + rect.x;
    out.set(raster.pixels.subarray(start, start + rect.width), r * rect.width);
  }
  return out;
}

function writePixels(raster: LabelRaster, rect: PixelRect, bytes: Uint8Array): void {
  for (let r = 0; r < rect.height; r++)
    raster.pixels.set(bytes.subarray(r * rect.width, (r + 1) * rect.width), (rect.y + r) * raster.width + rect.x);
}

/**
 * The diff between `before` (pixels of rect, taken before an edit) and the raster now, shrunk to the
 * pixels that really changed; null when none did.
 */
export function diffSince(raster: LabelRaster, rect: PixelRect, before: Uint8Array): LabelDiff | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -1;
  let maxY = -1;
  for (let r = 0; r < rect.height; r++) {
    const row = (rect.y + r) * raster.width + rect.x;
    for (let c = 0; c < rect.width; c++) {
      if (raster.pixels[row + c] === before[r * rect.width + c]) continue;
      if (c < minX) minX = c;
      if (c > maxX) maxX = c;
      if (r < minY) minY = r;
      maxY = r;
    }
  }
  if (maxY < 0) return null;
  const tight = { x: rect.x + minX, y: rect.y + minY, width: maxX - minX + 1, height: maxY - minY + 1 };
  const was = new Uint8Array(tight.width * tight.height);
  for (let r = 0; r < tight.height; r++) {
    const from = (minY + r) * rect.width + minX;
    was.set(before.subarray(from, from + tight.width), r * tight.width);
  }
  return { ...tight, before: was, after: cropPixels(raster, tight) };
}

/** Write a diff's `before` (undo) or `after` (redo) bytes into the raster. */
export function applyDiff(raster: LabelRaster, diff: LabelDiff, direction: 'undo' | 'redo'): void {
  if (diff.x < 0 || diff.y < 0 || diff.x + diff.width > raster.width || diff.y + diff.height > raster.height) {
    throw new RangeError(
      `A diff at ${diff.x},${diff.y} of ${diff.width}×${diff.height} does not fit a ${raster.width}×${raster.height} map`,
    );
  }
  writePixels(raster, diff, direction === 'undo' ? diff.before : diff.after);
}

/**
 * One diff equal to applying `diffs` in order; the raster must be in the state after the last of
 * them. Null when they cancel out.
 */
export function squashDiffs(raster: LabelRaster, diffs: readonly LabelDiff[]): LabelDiff | null {
  if (diffs.length === 0) return null;
  if (diffs.length === 1) return diffs[0];
  let box: PixelRect = { x: 0, y: 0, width: 0, height: 0 };
  for (const d of diffs) box = unionRect(box, d);
  if (isEmptyRect(box)) return null;
  // Start from now and undo the diffs last to first inside the union box: that is the state before.
  const before = cropPixels(raster, box);
  for (let k = diffs.length - 1; k >= 0; k--) {
    const d = diffs[k];
    for (let r = 0; r < d.height; r++)
      before.set(d.before.subarray(r * d.width, (r + 1) * d.width), (d.y - box.y + r) * box.width + d.x - box.x);
  }
  return diffSince(raster, box, before);
}

/** Bytes a diff keeps in memory. */
export function diffBytes(d: LabelDiff): number {
  return d.before.byteLength + d.after.byteLength;
}
