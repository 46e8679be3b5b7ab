/**
 * JPEG encoding through jpeg-js (pure JS, so the same pixels give the same bytes everywhere). Used
 * where a format's convention is JPEG (Pascal VOC's JPEGImages); our own images stay lossless PNG.
 */
import jpeg from 'jpeg-js';

export const JPEG_QUALITY = 95;

/** Interleaved RGB8 [h, w, 3] → baseline JPEG bytes. */
export function encodeRgbJpeg(rgb: Uint8Array, width: number, height: number, quality = JPEG_QUALITY): Uint8Array {
  if (rgb.length !== width * height * 3)
    throw new RangeError(`RGB data has ${rgb.length} bytes, expected ${width * height * 3}`);
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0, q = 0; p < rgb.length; p += 3, q += 4) {
    rgba[q] = rgb[p];
    rgba[q + 1] = rgb[p + 1];
    rgba[q + 2] = rgb[p + 2];
    rgba[q + 3] = 255;
  }
  const { data } = jpeg.encode({ data: rgba, width, height }, quality);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
