/**
 * The feature wand's contract, shared by the canvas, the API and compute (docs/canvas.md, "The feature
 * wand"): clicks in label-grid pixels, positive or negative, and a tolerance; the answer is a mask.
 */
import { emptyMask, type CoverageMask } from './raster/label-raster';

export interface WandClick {
  /** Label-grid pixel column and row (whole numbers inside the image). */
  x: number;
  y: number;
  /** true: this part belongs to the selection (click, Shift+click); false: it does not (Alt+click). */
  positive: boolean;
}

/** Clicks one selection may hold; a longer list is refused (the canvas asks for a commit before). */
export const WAND_MAX_CLICKS = 64;

/** 0 selects only pixels very like the clicks, 1 the most; the slider and [ / ] step it by WAND_TOLERANCE_STEP. */
export const WAND_DEFAULT_TOLERANCE = 0.5;
export const WAND_TOLERANCE_STEP = 0.05;

export interface WandSelection {
  /** width·height bytes, 1 where the selection is. */
  mask: Uint8Array;
  /** True when this answer had to run the generator first (a sample's first click; later ones reuse its features). */
  prepared: boolean;
  /** True when the project's interpreter guided the match (its class probabilities are the prior). */
  guided: boolean;
}

/** A tolerance on the slider's grid, within 0–1. */
export function clampTolerance(t: number): number {
  return Math.min(1, Math.max(0, Math.round(t / WAND_TOLERANCE_STEP) * WAND_TOLERANCE_STEP));
}

/** A full-image 0/1 mask as the rasterizers' coverage mask, cropped to the box around its pixels. */
export function maskCoverage(mask: Uint8Array, width: number, height: number): CoverageMask {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (mask[y * width + x]) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
  if (x1 < 0) return emptyMask();
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const bits = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) bits.set(mask.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + w), y * w);
  return { x: x0, y: y0, width: w, height: h, bits };
}
