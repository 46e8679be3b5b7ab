/**
 * PNG encoding/decoding through pngjs (a well-kept pure-JS codec). Output bytes depend only on the
 * pixels and Node's zlib, so the same image gives the same file on every run.
 */
import { PNG } from 'pngjs';
import { UserError } from '../../shared/errors';

function bufferView(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Interleaved RGB8 [h, w, 3] → PNG bytes (colour type 2). */
export function encodeRgbPng(rgb: Uint8Array, width: number, height: number): Buffer {
  if (rgb.length !== width * height * 3) throw new RangeError(`RGB data has ${rgb.length} bytes, expected ${width * height * 3}`);
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false, bitDepth: 8 });
  png.data = bufferView(rgb);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, bitDepth: 8 });
}

/** Single-channel 8-bit map [h, w] (e.g. class ids) → greyscale PNG bytes (colour type 0). */
export function encodeGrayPng(values: Uint8Array, width: number, height: number): Buffer {
  if (values.length !== width * height) throw new RangeError(`Grey data has ${values.length} bytes, expected ${width * height}`);
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  png.data = bufferView(values);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA8 [h, w, 4], as pngjs expands every colour type */
  rgba: Uint8Array;
}

export function decodePng(bytes: Uint8Array, name: string): DecodedPng {
  try {
    const png = PNG.sync.read(bufferView(bytes));
    return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  } catch {
    throw new UserError(`${name} is not a PNG image this program can read; save it as an 8-bit PNG.`);
  }
}

/**
 * Read a label PNG as class ids: single-channel greyscale (value = class id). For colour files whose
 * R, G and B are equal (greyscale saved as RGB), the R channel is used; anything else is refused,
 * because colours cannot be turned into class ids without guessing.
 */
export function decodeLabelPng(bytes: Uint8Array, name: string): { width: number; height: number; labels: Uint8Array } {
  const { width, height, rgba } = decodePng(bytes, name);
  const labels = new Uint8Array(width * height);
  for (let p = 0; p < labels.length; p++) {
    const r = rgba[p * 4];
    if (rgba[p * 4 + 1] !== r || rgba[p * 4 + 2] !== r) {
      throw new UserError(`${name} is a colour image; a label PNG holds one class id per pixel (8-bit greyscale, value = class id).`);
    }
    labels[p] = r;
  }
  return { width, height, labels };
}
