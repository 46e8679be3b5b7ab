/**
 * Edits of a label map: painting coverage masks with a class, replacing the map from a prediction,
 * and moving a shape's region. Every edit honours locked classes (a pixel whose class is locked is never
 * overwritten) and returns the diff it made, or null when nothing changed.
 */
import type { LabelDiff } from './diff';
import { cropPixels, diffSince } from './diff';
import type { CoverageMask, LabelRaster, LockTable, PixelRect } from './label-raster';
import { checkRaster, isEmptyRect, maskCovers, unionRect } from './label-raster';

function checkClass(classId: number): void {
  if (!Number.isInteger(classId) || classId < 0 || classId > 255)
    throw new RangeError(`A class id is a whole number from 0 to 255, not ${classId}`);
}

/** Give every covered, unlocked pixel the class (the eraser paints class 0). */
export function paintMask(
  raster: LabelRaster,
  mask: CoverageMask,
  classId: number,
  locks: LockTable,
): LabelDiff | null {
  checkClass(classId);
  if (isEmptyRect(mask)) return null;
  const before = cropPixels(raster, mask);
  const px = raster.pixels;
  for (let r = 0; r < mask.height; r++) {
    const row = (mask.y + r) * raster.width + mask.x;
    const bitsRow = r * mask.width;
    for (let c = 0; c < mask.width; c++) {
      if (mask.bits[bitsRow + c] === 1 && locks[px[row + c]] === 0) px[row + c] = classId;
    }
  }
  return diffSince(raster, mask, before);
}

/**
 * Take every unlocked pixel's class from `labels` (a whole map of the same size, e.g. the
 * interpreter's prediction): one edit, one diff.
 */
export function replacePixels(raster: LabelRaster, labels: Uint8Array, locks: LockTable): LabelDiff | null {
  checkRaster(raster);
  if (labels.length !== raster.pixels.length) {
    throw new RangeError(`A ${raster.width}×${raster.height} map cannot take ${labels.length} labels`);
  }
  const whole = { x: 0, y: 0, width: raster.width, height: raster.height };
  const before = raster.pixels.slice();
  const px = raster.pixels;
  for (let i = 0; i < px.length; i++) if (locks[px[i]] === 0) px[i] = labels[i];
  return diffSince(raster, whole, before);
}

/**
 * A shape of class `classId` changed its region from `oldMask` to `newMask` (a vertex moved, a hole
 * was cut, the shape was deleted): pixels newly covered take the class; pixels no longer covered that
 * still carry the class go back to background. Pixels in both are left as they are, so paint laid over
 * the shape meanwhile survives.
 */
export function repaintRegion(
  raster: LabelRaster,
  oldMask: CoverageMask,
  newMask: CoverageMask,
  classId: number,
  locks: LockTable,
): LabelDiff | null {
  checkClass(classId);
  const box: PixelRect = unionRect(oldMask, newMask);
  if (isEmptyRect(box)) return null;
  const before = cropPixels(raster, box);
  const px = raster.pixels;
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const i = y * raster.width + x;
      const v = px[i];
      if (locks[v] === 1) continue;
      const inOld = maskCovers(oldMask, x, y);
      const inNew = maskCovers(newMask, x, y);
      if (inNew && !inOld) px[i] = classId;
      else if (inOld && !inNew && v === classId) px[i] = 0;
    }
  }
  return diffSince(raster, box, before);
}
