/**
 * Label PNGs from other tools, read as class ids (`dgs label import`). Every pixel depth is read as
 * stored (fast-png keeps 16-bit samples and palette indices as they are), so a 16-bit greyscale value 3
 * is class 3, not 3/257. What counts as a class id:
 * - greyscale (1, 2, 4, 8 or 16 bits, with an opaque alpha or none): the value;
 * - colour whose R = G = B everywhere (greyscale saved as colour): that value;
 * - palette: the index, when the palette's colours for the indices used are the project's class colours
 *   (as the PNGs this program writes are); otherwise it is refused, because the index then means
 *   something else.
 * Every value must be a live class of the project. Anything else is refused with a sentence naming the
 * file.
 */
import { decode, type DecodedPng } from 'fast-png';
import { UserError } from '../../shared/errors';

export interface LabelClassColor {
  index: number;
  name: string;
  /** '#rrggbb' */
  color: string;
}

function readPng(bytes: Uint8Array, name: string): DecodedPng {
  try {
    return decode(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/\.$/, '') : String(e);
    throw new UserError(`${name} is not a PNG image this program can read (${why}); save it again as a PNG.`, {
      cause: e,
    });
  }
}

/** One sample per pixel per channel, unpacked from 1/2/4-bit rows (rows start on a byte). */
function samplesOf(png: DecodedPng): ArrayLike<number> {
  const { width, height, depth, channels, data } = png;
  if (depth >= 8) return data;
  const perRow = Math.ceil((width * channels * depth) / 8);
  const out = new Uint8Array(width * height * channels);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < width * channels; i++) {
      const bit = i * depth;
      out[y * width * channels + i] = (data[y * perRow + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

const hex = (rgb: ArrayLike<number>): string =>
  `#${[0, 1, 2].map((i) => (rgb[i] ?? 0).toString(16).padStart(2, '0')).join('')}`;

/** Values per pixel, before the class check: the grey value, or the palette index. */
function pixelValues(png: DecodedPng, name: string, classes: LabelClassColor[]): Uint32Array {
  const { width, height, depth, channels } = png;
  const n = width * height;
  const s = samplesOf(png);
  const values = new Uint32Array(n);
  if (png.palette) {
    for (let p = 0; p < n; p++) values[p] = s[p];
    checkPalette(png, values, name, classes);
    return values;
  }
  const opaque = (1 << depth) - 1;
  const colour = channels >= 3;
  const alpha = channels === 2 || channels === 4;
  for (let p = 0; p < n; p++) {
    const o = p * channels;
    const v = s[o];
    if (colour && (s[o + 1] !== v || s[o + 2] !== v)) {
      throw new UserError(
        `${name} is a colour image; a label PNG holds one class id per pixel (greyscale, value = class id, or the project's palette).`,
      );
    }
    if (alpha && s[o + channels - 1] !== opaque) {
      throw new UserError(
        `${name} has transparent pixels; a label PNG gives every pixel a class id, so save it without transparency.`,
      );
    }
    values[p] = v;
  }
  return values;
}

function checkPalette(png: DecodedPng, indices: Uint32Array, name: string, classes: LabelClassColor[]): void {
  const used = new Set(indices);
  const byIndex = new Map(classes.map((c) => [c.index, c]));
  for (const i of [...used].sort((a, b) => a - b)) {
    const entry = png.palette![i];
    const cls = byIndex.get(i);
    if (!entry || !cls) continue; // reported as an unknown class id by the caller
    if (hex(entry) !== cls.color.toLowerCase()) {
      throw new UserError(
        `${name} is a palette PNG whose colours are not this project's (index ${i} is ${hex(entry)} there, class ${i} "${cls.name}" is ${cls.color} here), so its indices cannot be trusted as class ids; save it as greyscale class ids, or with the project's class colours as its palette.`,
      );
    }
  }
}

/** Read a label PNG as class ids, checked against the project's live classes. */
export function decodeLabelPng(
  bytes: Uint8Array,
  name: string,
  classes: LabelClassColor[],
): { width: number; height: number; labels: Uint8Array } {
  const png = readPng(bytes, name);
  const values = pixelValues(png, name, classes);
  const live = new Set(classes.map((c) => c.index));
  const labels = new Uint8Array(values.length);
  for (let p = 0; p < values.length; p++) {
    const v = values[p];
    if (!live.has(v)) {
      const ids = [...live].sort((a, b) => a - b);
      const what = png.palette ? `palette index ${v}` : `class id ${v}`;
      throw new UserError(
        `${name} uses ${what} (at x ${p % png.width}, y ${Math.floor(p / png.width)}), which is not a class of this project (class ids: ${ids.join(', ')}); add the class first or fix the file.`,
      );
    }
    labels[p] = v;
  }
  return { width: png.width, height: png.height, labels };
}
