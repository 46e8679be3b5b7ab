/**
 * The label map as the rasterizers see it, and the rectangles and coverage masks they exchange.
 *
 * Coordinates are image pixels with y down. Pixel (x, y) covers the square [x, x+1) × [y, y+1) and is
 * sampled at its centre (x + 0.5, y + 0.5): a shape owns a pixel when it owns that centre. Every
 * rasterizer in this folder decides pixels this way and nothing else (no antialiasing, no blending).
 */

/** A one-class-per-pixel map: `pixels[y·width + x]` is the class id (0 = background). */
export interface LabelRaster {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/** An axis-aligned pixel rectangle, x/y inclusive, width/height ≥ 1 unless empty. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Which pixels of a rectangle a shape covers: `bits[(py − y)·width + (px − x)]` is 1 for a covered
 * pixel. Rasterizers return masks clipped to the image, so a mask never reaches outside it.
 */
export interface CoverageMask extends PixelRect {
  bits: Uint8Array;
}

/** Receives one run of covered pixels: row y, columns x0 (inclusive) to x1 (exclusive), x0 < x1. */
export type SpanSink = (y: number, x0: number, x1: number) => void;

export function emptyMask(): CoverageMask {
  return { x: 0, y: 0, width: 0, height: 0, bits: new Uint8Array(0) };
}

export function isEmptyRect(r: PixelRect): boolean {
  return r.width <= 0 || r.height <= 0;
}

/** The smallest rectangle holding both (an empty one is ignored). */
export function unionRect(a: PixelRect, b: PixelRect): PixelRect {
  if (isEmptyRect(a)) return { ...b };
  if (isEmptyRect(b)) return { ...a };
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/**
 * A mask of the pixels a span producer emits inside `bounds` (already clipped to the image). The
 * producer must emit spans inside bounds only.
 */
export function maskFromSpans(bounds: PixelRect, produce: (sink: SpanSink) => void): CoverageMask {
  if (isEmptyRect(bounds)) return emptyMask();
  const bits = new Uint8Array(bounds.width * bounds.height);
  produce((y, x0, x1) =>
    bits.fill(1, (y - bounds.y) * bounds.width + x0 - bounds.x, (y - bounds.y) * bounds.width + x1 - bounds.x),
  );
  return { ...bounds, bits };
}

/** True when the mask covers image pixel (px, py). */
export function maskCovers(m: CoverageMask, px: number, py: number): boolean {
  const lx = px - m.x;
  const ly = py - m.y;
  return lx >= 0 && ly >= 0 && lx < m.width && ly < m.height && m.bits[ly * m.width + lx] === 1;
}

/** A 256-entry table: entry c is 1 when class c is locked (its pixels are never overwritten). */
export type LockTable = Uint8Array;

export function lockTable(locked: Iterable<number> = []): LockTable {
  const t = new Uint8Array(256);
  for (const c of locked) t[c] = 1;
  return t;
}

export function checkRaster(r: LabelRaster): void {
  if (r.pixels.length !== r.width * r.height) {
    throw new RangeError(
      `A ${r.width}×${r.height} label map needs ${r.width * r.height} pixels, not ${r.pixels.length}`,
    );
  }
}
