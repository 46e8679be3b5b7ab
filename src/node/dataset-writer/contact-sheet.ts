/**
 * contact-sheet.png: the first samples of a run, each as a pair of panels side by side — the image, and
 * the image with its label colours blended over it at 50 % (background, class 0, left untinted) and the
 * borders between classes drawn in black, so that labels can be checked against the picture at a
 * glance even where a class's colour is close to the image's. Samples the uncertainty filter dropped
 * are shown too, framed in red.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { vocPalette } from '../../shared/palette';
import { writeLoneFileAtomic } from './atomic-fs';
import { decodeGrayPng, decodePng, encodeRgbPng } from '../io/png';

export interface ContactSheetSample {
  name: string;
  width: number;
  height: number;
  /** width × height × 3 */
  rgb: Uint8Array;
  /** width × height class ids */
  labels: Uint8Array;
  /** Dropped by the uncertainty filter: framed in red. */
  filtered?: boolean;
}

export interface ContactSheetOptions {
  /** Sample pairs per row (default 4). */
  columns?: number;
  /** Longest side of a panel in pixels (default 128); images are shrunk by block averaging. */
  cell?: number;
  /** 768-byte palette (class id → RGB); default: the VOC palette (src/shared/palette.ts). */
  palette?: Uint8Array;
}

const GAP = 2;
const FRAME = 32; // dark grey
const FILTERED_FRAME = [220, 40, 40];

/** One panel: the image, tinted by its labels when `tint`, shrunk by an integer factor (averaging), into `out` at (ox, oy). */
function drawPanel(
  s: ContactSheetSample,
  palette: Uint8Array | null,
  factor: number,
  out: Uint8Array,
  outWidth: number,
  ox: number,
  oy: number,
): void {
  const w = Math.floor(s.width / factor);
  const h = Math.floor(s.height / factor);
  const n = factor * factor;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < factor; dy++) {
        for (let dx = 0; dx < factor; dx++) {
          const i = (y * factor + dy) * s.width + x * factor + dx;
          let pr = s.rgb[i * 3];
          let pg = s.rgb[i * 3 + 1];
          let pb = s.rgb[i * 3 + 2];
          const c = s.labels[i];
          if (palette && c !== 0) {
            pr = (pr + palette[c * 3]) / 2;
            pg = (pg + palette[c * 3 + 1]) / 2;
            pb = (pb + palette[c * 3 + 2]) / 2;
          }
          r += pr;
          g += pg;
          b += pb;
        }
      }
      const o = ((oy + y) * outWidth + ox + x) * 3;
      if (palette && isBorder(s, factor, x, y, w, h)) {
        out.fill(0, o, o + 3);
        continue;
      }
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
    }
  }
}

/** The class at the centre of panel pixel (x, y)'s block. */
function blockClass(s: ContactSheetSample, factor: number, x: number, y: number): number {
  const c = factor >> 1;
  return s.labels[(y * factor + c) * s.width + x * factor + c];
}

/** Whether panel pixel (x, y) has another class than its right or lower neighbour. */
function isBorder(s: ContactSheetSample, factor: number, x: number, y: number, w: number, h: number): boolean {
  const here = blockClass(s, factor, x, y);
  return (
    (x + 1 < w && blockClass(s, factor, x + 1, y) !== here) || (y + 1 < h && blockClass(s, factor, x, y + 1) !== here)
  );
}

/** Fills the rectangle [x0, x1) × [y0, y1) of `out` with one colour. */
function fill(
  out: Uint8Array,
  outWidth: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  rgb: readonly number[],
): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) out.set(rgb, (y * outWidth + x) * 3);
}

/** Writes `outDir/contact-sheet.png`; returns its size. */
export async function writeContactSheet(
  outDir: string,
  samples: readonly ContactSheetSample[],
  opts: ContactSheetOptions = {},
): Promise<{ width: number; height: number }> {
  const columns = Math.max(1, Math.min(opts.columns ?? 4, samples.length || 1));
  const cell = opts.cell ?? 128;
  const maxSide = Math.max(1, ...samples.map((s) => Math.max(s.width, s.height)));
  const factor = Math.max(1, Math.ceil(maxSide / cell));
  const cw = Math.floor(maxSide / factor);
  const pair = 2 * cw + GAP; // image, gap, overlay
  const rows = Math.max(1, Math.ceil(samples.length / columns));
  const width = columns * pair + (columns + 1) * GAP;
  const height = rows * cw + (rows + 1) * GAP;
  const out = new Uint8Array(width * height * 3).fill(FRAME);
  const palette = opts.palette ?? vocPalette();
  samples.forEach((s, i) => {
    const ox = GAP + (i % columns) * (pair + GAP);
    const oy = GAP + Math.floor(i / columns) * (cw + GAP);
    if (s.filtered) fill(out, width, ox - GAP, oy - GAP, ox + pair + GAP, oy + cw + GAP, FILTERED_FRAME);
    drawPanel(s, null, factor, out, width, ox, oy);
    drawPanel(s, palette, factor, out, width, ox + cw + GAP, oy);
  });
  await writeLoneFileAtomic(join(outDir, 'contact-sheet.png'), encodeRgbPng(out, width, height));
  return { width, height };
}

/** Reads sample `name`'s image and label PNGs back from a dataset folder (from `filtered/` when it was dropped). */
export async function loadSampleForSheet(root: string, name: string, filtered = false): Promise<ContactSheetSample> {
  const dir = filtered ? join(root, 'filtered') : root;
  const img = decodePng(await readFile(join(dir, 'images', `${name}.png`)));
  const lab = decodeGrayPng(await readFile(join(dir, 'labels', `${name}.png`)));
  const rgb = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) {
    rgb[i * 3] = img.rgba[i * 4];
    rgb[i * 3 + 1] = img.rgba[i * 4 + 1];
    rgb[i * 3 + 2] = img.rgba[i * 4 + 2];
  }
  return { name, width: img.width, height: img.height, rgb, labels: lab.values, filtered };
}
