/**
 * PNG encoding and decoding for every file the engine writes or reads. Same pixels → same bytes (no time
 * chunks; fixed zlib settings), so reruns, resumes and merged shards are byte-identical. RGB goes
 * through pngjs (a well-kept codec); single-channel maps are written here (pngjs has no indexed output).
 */
import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { UserError } from '../../shared/errors';

function bufferView(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

// pngjs' defaults (level 9, Z_RLE, all five row filters tried per row) are slow; Paeth on every row at
// level 6 is about twice as fast on 512² images for ~20 % larger files than the best adaptive choice.
const PNGJS_OPTIONS = { deflateLevel: 6, deflateStrategy: 0, filterType: 4 } as const;

/** 8-bit RGB PNG from row-major RGB8. */
export function encodeRgbPng(rgb: Uint8Array, width: number, height: number): Buffer {
  if (rgb.length !== width * height * 3)
    throw new RangeError(`RGB data has ${rgb.length} bytes, expected ${width * height * 3}`);
  return PNG.sync.write({ width, height, data: bufferView(rgb) } as PNG, {
    ...PNGJS_OPTIONS,
    colorType: 2,
    inputColorType: 2,
    inputHasAlpha: false,
  });
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * 8-bit single-channel PNG of flat maps (label ids): colour type 0 (grayscale) without a palette, or 3
 * (indexed, as Pascal VOC's SegmentationClass files) with one — either way the stored byte is the class
 * id. pngjs cannot write indexed PNGs, so these few chunks are written here; filter 0 on every row, as
 * deflate already finds the repeats of flat label maps (it is 2× faster than pngjs' adaptive filters).
 */
function encodeSingleChannelPng(values: Uint8Array, width: number, height: number, palette: Uint8Array | null): Buffer {
  if (values.length !== width * height)
    throw new RangeError(`Map has ${values.length} bytes, expected ${width * height}`);
  if (palette && (palette.length % 3 !== 0 || palette.length === 0 || palette.length > 768))
    throw new RangeError('A PNG palette has 1–256 RGB entries.');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = palette ? 3 : 0; // colour type
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(values.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(palette ? [chunk('PLTE', palette)] : []),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** 8-bit grayscale PNG: the pixel value is the class id. */
export function encodeGrayPng(values: Uint8Array, width: number, height: number): Buffer {
  return encodeSingleChannelPng(values, width, height, null);
}

/** 8-bit palette-indexed PNG: stored index = class id, `palette` (RGB triples) colours it for viewers. */
export function encodeIndexedPng(indices: Uint8Array, width: number, height: number, palette: Uint8Array): Buffer {
  return encodeSingleChannelPng(indices, width, height, palette);
}

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA8 [h, w, 4], as pngjs expands every colour type */
  rgba: Uint8Array;
}

export function decodePng(bytes: Uint8Array, name = 'The file'): DecodedPng {
  try {
    const png = PNG.sync.read(bufferView(bytes));
    return {
      width: png.width,
      height: png.height,
      rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength),
    };
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
      throw new UserError(
        `${name} is a colour image; a label PNG holds one class id per pixel (8-bit greyscale, value = class id).`,
      );
    }
    labels[p] = r;
  }
  return { width, height, labels };
}

/** First channel of each pixel, unchecked: the class id of a label PNG this program wrote. */
export function decodeGrayPng(bytes: Uint8Array): { width: number; height: number; values: Uint8Array } {
  const { width, height, rgba } = decodePng(bytes);
  const values = new Uint8Array(width * height);
  for (let i = 0; i < values.length; i++) values[i] = rgba[i * 4];
  return { width, height, values };
}
