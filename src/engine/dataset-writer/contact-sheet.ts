/**
 * contact-sheet.png: a grid of the first kept samples with their label colours blended over the image
 * at 50 %, to eyeball a dataset in one glance. Background (class 0) is left untinted.
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
}

export interface ContactSheetOptions {
  /** Cells per row (default 8). */
  columns?: number;
  /** Longest side of a cell in pixels (default 128); images are shrunk by block averaging. */
  cell?: number;
  /** 768-byte palette (class id → RGB); default: the VOC palette (src/shared/palette.ts). */
  palette?: Uint8Array;
}

const GAP = 2;

/** One cell: image and 50 % label tint, shrunk by an integer factor (averaging), into `out` at (ox, oy). */
function drawCell(s: ContactSheetSample, palette: Uint8Array, factor: number, out: Uint8Array, outWidth: number, ox: number, oy: number): void {
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
          if (c !== 0) {
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
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
    }
  }
}

/** Writes `outDir/contact-sheet.png`; returns its size. */
export async function writeContactSheet(outDir: string, samples: readonly ContactSheetSample[], opts: ContactSheetOptions = {}): Promise<{ width: number; height: number }> {
  const columns = Math.max(1, Math.min(opts.columns ?? 8, samples.length || 1));
  const cell = opts.cell ?? 128;
  const maxSide = Math.max(1, ...samples.map((s) => Math.max(s.width, s.height)));
  const factor = Math.max(1, Math.ceil(maxSide / cell));
  const cw = Math.floor(maxSide / factor);
  const rows = Math.max(1, Math.ceil(samples.length / columns));
  const width = columns * cw + (columns + 1) * GAP;
  const height = rows * cw + (rows + 1) * GAP;
  const out = new Uint8Array(width * height * 3).fill(32); // dark grey frame
  const palette = opts.palette ?? vocPalette();
  samples.forEach((s, i) => {
    const ox = GAP + (i % columns) * (cw + GAP);
    const oy = GAP + Math.floor(i / columns) * (cw + GAP);
    drawCell(s, palette, factor, out, width, ox, oy);
  });
  await writeLoneFileAtomic(join(outDir, 'contact-sheet.png'), encodeRgbPng(out, width, height));
  return { width, height };
}

/** Reads sample `name`'s image and label PNGs back from a dataset folder. */
export async function loadSampleForSheet(root: string, name: string): Promise<ContactSheetSample> {
  const img = decodePng(await readFile(join(root, 'images', `${name}.png`)));
  const lab = decodeGrayPng(await readFile(join(root, 'labels', `${name}.png`)));
  const rgb = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) {
    rgb[i * 3] = img.rgba[i * 4];
    rgb[i * 3 + 1] = img.rgba[i * 4 + 1];
    rgb[i * 3 + 2] = img.rgba[i * 4 + 2];
  }
  return { name, width: img.width, height: img.height, rgb, labels: lab.values };
}
