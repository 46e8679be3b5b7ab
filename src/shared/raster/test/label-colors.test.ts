import { describe, expect, it } from 'vitest';
import { colorLabels, labelPalette, UNKNOWN_LABEL_RGBA } from '../label-colors';

const classes = [
  { index: 1, color: '#ff0000' },
  { index: 2, color: '#00ff80' },
  { index: 3, color: '#123456' },
];

/** The RGBA bytes of pixel i. */
const at = (rgba: Uint8Array | Uint8ClampedArray, i: number) => Array.from(rgba.subarray(4 * i, 4 * i + 4));

describe('label colours', () => {
  it('draws each class in its colour, background and hidden classes transparent, unknown ids magenta', () => {
    const raster = { width: 3, height: 2, pixels: Uint8Array.from([0, 1, 2, 3, 7, 255]) };
    const rgba = new Uint8ClampedArray(6 * 4);
    colorLabels(raster, labelPalette(classes, new Set([3])), rgba);
    expect([0, 1, 2, 3, 4, 5].map((i) => at(rgba, i))).toEqual([
      [0, 0, 0, 0],
      [255, 0, 0, 255],
      [0, 255, 128, 255],
      [0, 0, 0, 0],
      [...UNKNOWN_LABEL_RGBA],
      [...UNKNOWN_LABEL_RGBA],
    ]);
  });

  it('keeps background transparent even when a class claims id 0', () => {
    const palette = labelPalette([{ index: 0, color: '#ffffff' }, ...classes]);
    expect(Array.from(palette.subarray(0, 4))).toEqual([0, 0, 0, 0]);
  });

  it('writes bytes in r, g, b, a order whatever the byte order of the words it copies', () => {
    // The palette's bytes are the colour as written; each pixel's four bytes must be exactly those.
    const palette = labelPalette(classes);
    const raster = { width: 4, height: 1, pixels: Uint8Array.from([3, 2, 1, 0]) };
    const rgba = new Uint8Array(16);
    colorLabels(raster, palette, rgba);
    expect(at(rgba, 0)).toEqual([0x12, 0x34, 0x56, 255]);
    for (let i = 0; i < 4; i++)
      expect(at(rgba, i)).toEqual(Array.from(palette.subarray(4 * raster.pixels[i], 4 * raster.pixels[i] + 4)));
  });

  it('colours only the given rectangle and leaves the rest as it was', () => {
    const raster = { width: 4, height: 3, pixels: new Uint8Array(12).fill(1) };
    const rgba = new Uint8Array(48).fill(9);
    colorLabels(raster, labelPalette(classes), rgba, { x: 1, y: 1, width: 2, height: 1 });
    const red = [255, 0, 0, 255];
    const untouched = [9, 9, 9, 9];
    expect(Array.from({ length: 12 }, (_, i) => at(rgba, i))).toEqual(
      Array.from({ length: 12 }, (_, i) => (i === 5 || i === 6 ? red : untouched)),
    );
  });

  it('refuses a target of the wrong size', () => {
    const raster = { width: 2, height: 2, pixels: new Uint8Array(4) };
    expect(() => colorLabels(raster, labelPalette(classes), new Uint8Array(15))).toThrow(RangeError);
  });
});
