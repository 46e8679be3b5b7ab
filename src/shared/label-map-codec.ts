/**
 * Label-map codec: a raster of class ids (one byte per pixel, row-major, 0 = background) to a compact,
 * self-describing byte string and back. Projects store annotations this way (docs/project-file.md).
 *
 * Layout (all integers little-endian):
 *
 * | offset | bytes | field                                                          |
 * |--------|-------|----------------------------------------------------------------|
 * | 0      | 4     | magic `DGLM` (0x44 0x47 0x4C 0x4D)                              |
 * | 4      | 1     | codec version, 1                                               |
 * | 5      | 1     | pixel encoding, 0 = uint8 class id per pixel                   |
 * | 6      | 2     | reserved, 0                                                    |
 * | 8      | 4     | width (u32)                                                    |
 * | 12     | 4     | height (u32)                                                   |
 * | 16     | …     | zlib stream (RFC 1950: deflate + Adler-32) of width·height bytes |
 *
 * Label maps are long runs of a few values, which deflate shrinks well without any filter (the test
 * checks more than 20× on a synthetic 512² map). Decoding checks every field, the decompressed length
 * and the Adler-32 checksum (fflate skips the latter), so a damaged map is refused with a sentence
 * instead of turning into wrong pixels.
 */
import { unzlibSync, zlibSync } from 'fflate';
import { UserError } from './errors';

export const LABEL_MAP_MAGIC = 'DGLM';
export const LABEL_MAP_CODEC_VERSION = 1;
export const LABEL_MAP_HEADER_BYTES = 16;
/** Largest side accepted; 16384² = 256 MiB of pixels, far beyond any StyleGAN. */
export const LABEL_MAP_MAX_SIDE = 16384;

const PIXEL_UINT8 = 0;

export interface LabelMap {
  width: number;
  height: number;
  /** width·height class ids, row-major. */
  pixels: Uint8Array;
}

/** A label map that cannot be encoded or decoded; its message is one sentence. */
export class LabelMapCodecError extends UserError {}

function checkSize(width: number, height: number): void {
  for (const [what, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > LABEL_MAP_MAX_SIDE) {
      throw new LabelMapCodecError(
        `A label map's ${what} must be a whole number from 1 to ${LABEL_MAP_MAX_SIDE}, not ${v}.`,
      );
    }
  }
}

/** Adler-32 (RFC 1950 §9) of bytes; NMAX-sized chunks keep the sums exact in doubles. */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  const NMAX = 5552;
  for (let start = 0; start < bytes.length; start += NMAX) {
    const end = Math.min(start + NMAX, bytes.length);
    for (let i = start; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Encode a class-id raster. `pixels.length` must equal width·height. */
export function encodeLabelMap(pixels: Uint8Array, width: number, height: number): Uint8Array {
  checkSize(width, height);
  if (pixels.length !== width * height) {
    throw new LabelMapCodecError(
      `A ${width}×${height} label map needs ${width * height} pixels but ${pixels.length} were given; send one class id per pixel.`,
    );
  }
  const body = zlibSync(pixels, { level: 6 });
  const out = new Uint8Array(LABEL_MAP_HEADER_BYTES + body.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = LABEL_MAP_MAGIC.charCodeAt(i);
  out[4] = LABEL_MAP_CODEC_VERSION;
  out[5] = PIXEL_UINT8;
  view.setUint32(8, width, true);
  view.setUint32(12, height, true);
  out.set(body, LABEL_MAP_HEADER_BYTES);
  return out;
}

/** Width and height from the header alone, without decompressing. */
export function peekLabelMapSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < LABEL_MAP_HEADER_BYTES + 6) {
    throw new LabelMapCodecError(
      `This label map is only ${bytes.length} bytes long, too short to be one; it is damaged.`,
    );
  }
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== LABEL_MAP_MAGIC.charCodeAt(i)) {
      throw new LabelMapCodecError(
        'This data is not an encoded label map (its first bytes are not "DGLM"); it is damaged or of another kind.',
      );
    }
  }
  if (bytes[4] !== LABEL_MAP_CODEC_VERSION) {
    throw new LabelMapCodecError(
      `This label map uses codec version ${bytes[4]}, which this version does not know; update DatasetGAN Studio to read it.`,
    );
  }
  if (bytes[5] !== PIXEL_UINT8 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw new LabelMapCodecError(
      'This label map has an unknown pixel encoding in its header; it is damaged or from a newer version.',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(8, true);
  const height = view.getUint32(12, true);
  try {
    checkSize(width, height);
  } catch {
    throw new LabelMapCodecError(
      `This label map's header says ${width}×${height} pixels, which is impossible; it is damaged.`,
    );
  }
  return { width, height };
}

/** Decode bytes made by encodeLabelMap; throws LabelMapCodecError on anything damaged. */
export function decodeLabelMap(bytes: Uint8Array): LabelMap {
  const { width, height } = peekLabelMapSize(bytes);
  const n = width * height;
  const body = bytes.subarray(LABEL_MAP_HEADER_BYTES);
  let pixels: Uint8Array;
  try {
    // One spare byte: fflate silently stops at the end of `out`, so a longer stream shows up as n + 1.
    pixels = unzlibSync(body, { out: new Uint8Array(n + 1) });
  } catch {
    throw new LabelMapCodecError(
      `This ${width}×${height} label map's compressed pixels are damaged and cannot be decompressed.`,
    );
  }
  if (pixels.length !== n) {
    throw new LabelMapCodecError(
      `This ${width}×${height} label map decompresses to ${pixels.length === n + 1 ? 'more' : pixels.length} bytes instead of ${n}; it is damaged.`,
    );
  }
  const tail = body.subarray(body.length - 4);
  const stored = ((tail[0] << 24) | (tail[1] << 16) | (tail[2] << 8) | tail[3]) >>> 0;
  if (stored !== adler32(pixels)) {
    throw new LabelMapCodecError(`This ${width}×${height} label map fails its checksum; it is damaged.`);
  }
  return { width, height, pixels: pixels.length === pixels.buffer.byteLength ? pixels : pixels.slice() };
}
