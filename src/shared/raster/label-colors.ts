/**
 * A label map as colours for the screen: one RGBA entry per class id, looked up per pixel. The one rule
 * every view follows: background (0) and hidden classes are transparent, each class is its colour,
 * opaque, and an id no class claims is magenta, so a stray value stands out instead of vanishing.
 *
 * The palette is written byte by byte (r, g, b, a), and pixels are copied as whole 32-bit words read
 * from that same byte layout, so the bytes land in ImageData's r, g, b, a order on any byte order.
 */
import { parseHexColor } from '../palette';
import type { LabelRaster, PixelRect } from './label-raster';

/** What a class needs to be drawn: its id in the map and its '#rrggbb' colour. */
export interface ColoredClass {
  index: number;
  color: string;
}

/** The colour of ids no class claims. */
export const UNKNOWN_LABEL_RGBA: readonly [number, number, number, number] = [255, 0, 255, 255];

/** 256 RGBA entries (1024 bytes): entry i is the colour pixels of class id i are drawn with. */
export function labelPalette(classes: readonly ColoredClass[], hidden: ReadonlySet<number> = new Set()): Uint8Array {
  const palette = new Uint8Array(256 * 4);
  for (let i = 1; i < 256; i++) palette.set(UNKNOWN_LABEL_RGBA, i * 4);
  for (const c of classes) {
    if (c.index < 0 || c.index > 255) continue;
    const transparent = c.index === 0 || hidden.has(c.index);
    palette.set(transparent ? [0, 0, 0, 0] : [...parseHexColor(c.color), 255], c.index * 4);
  }
  palette.fill(0, 0, 4); // background is never drawn, even when a class claims id 0
  return palette;
}

/**
 * Colour the pixels of `rect` (the whole map when omitted) into `rgba`, the map-sized RGBA bytes of an
 * ImageData; the other pixels of `rgba` are left as they are.
 */
export function colorLabels(
  raster: LabelRaster,
  palette: Uint8Array,
  rgba: Uint8Array | Uint8ClampedArray,
  rect: PixelRect = { x: 0, y: 0, width: raster.width, height: raster.height },
): void {
  const { pixels, width } = raster;
  if (palette.length !== 1024) throw new RangeError(`A label palette has 1024 bytes, not ${palette.length}`);
  if (rgba.length !== pixels.length * 4)
    throw new RangeError(`The RGBA target has ${rgba.length} bytes; ${pixels.length} pixels need ${pixels.length * 4}`);
  const lut = new Uint32Array(palette.buffer, palette.byteOffset, 256);
  const out = new Uint32Array(rgba.buffer, rgba.byteOffset, pixels.length);
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const end = y * width + rect.x + rect.width;
    for (let i = y * width + rect.x; i < end; i++) out[i] = lut[pixels[i]];
  }
}
