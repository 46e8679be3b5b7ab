import jpeg from 'jpeg-js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { latentFromSeed } from '../../../shared/rng';
import { runGeneration } from '../generate';
import { mergeShards } from '../merge';
import { decodeGrayPng, decodePng } from '../../io/png';
import { filteredCount, generatedCountFor, parseShard } from '../run-plan';
import type { GenerationOptions, GenerationProgress } from '../../../shared/dataset-types';
import { decodeCocoRle } from './coco-decoder';
import { fillHoles, listFiles, rasterizePolygon, treeDifferences } from './helpers';
import { shapeSource } from './shape-source';

const tmp = mkdtempSync(join(tmpdir(), 'dgs-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let dirCounter = 0;
const newDir = (): string => join(tmp, `run${dirCounter++}`);

const BASE: Omit<GenerationOptions, 'outDir'> = {
  count: 18,
  filter: 0.25,
  formats: ['coco', 'voc', 'yolo'],
  seed: 4294967290,
  batch: 4,
};
const SIZE = 32;

interface Line {
  name: string;
  index: number;
  seed: number;
  score: number;
  status: string;
  psi: number;
  modelSha256: string;
  interpreterId: string;
}
const manifest = (dir: string): Line[] =>
  readFileSync(join(dir, 'manifest.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
const labelsOf = (file: string): Uint8Array => decodeGrayPng(readFileSync(file)).values;

/** Class ids of a palette PNG as stored (filter 0 rows, as our encoder writes): parsed by hand. */
function indexedPngIndices(file: string): { indices: Uint8Array; colorType: number } {
  const b = readFileSync(file);
  let p = 8;
  let w = 0,
    h = 0,
    colorType = -1;
  const idat: Buffer[] = [];
  while (p < b.length) {
    const len = b.readUInt32BE(p);
    const type = b.toString('latin1', p + 4, p + 8);
    const data = b.subarray(p + 8, p + 8 + len);
    if (type === 'IHDR') {
      w = data.readUInt32BE(0);
      h = data.readUInt32BE(4);
      colorType = data[9];
    }
    if (type === 'IDAT') idat.push(data);
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const indices = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    expect(raw[y * (w + 1)]).toBe(0);
    indices.set(raw.subarray(y * (w + 1) + 1, (y + 1) * (w + 1)), y * w);
  }
  return { indices, colorType };
}

describe('runGeneration: one run, every format', async () => {
  const dir = newDir();
  const source = shapeSource();
  const progress: GenerationProgress[] = [];
  const summary = await runGeneration(source, { ...BASE, outDir: dir, onProgress: (p) => progress.push(p) });
  const G = generatedCountFor(18, 0.25);
  const lines = manifest(dir);
  const kept = lines.filter((l) => l.status === 'kept');
  const filtered = lines.filter((l) => l.status === 'filtered');

  it('keeps exactly --count samples and drops ⌊filter·generated⌋, the most uncertain ones', () => {
    expect(G).toBe(23); // smallest G with G − ⌊0.25·G⌋ = 18: 23 − 5
    expect(summary).toMatchObject({ status: 'finished', generated: 23, done: 23, kept: 18, filtered: 5 });
    expect(lines.map((l) => l.index)).toEqual([...Array(23).keys()]);
    expect(kept.length).toBe(18);
    expect(filtered.length).toBe(filteredCount(23, 0.25));
    const minFiltered = Math.min(...filtered.map((l) => l.score));
    expect(Math.max(...kept.map((l) => l.score))).toBeLessThanOrEqual(minFiltered);
  });

  it('uses seed (S + k) mod 2^32 for sample k, asking the source in order, once each', () => {
    expect(lines.map((l) => l.seed)).toEqual([...Array(23).keys()].map((k) => (4294967290 + k) % 2 ** 32));
    expect(source.produced.flat()).toEqual(lines.map((l) => l.seed));
    expect(source.produced.map((b) => b.length)).toEqual([4, 4, 4, 4, 4, 3]);
    expect(lines[0]).toMatchObject({
      name: '00000000',
      psi: 0.7,
      modelSha256: 'f'.repeat(64),
      interpreterId: 'test-interpreter-1',
    });
  });

  it('stores every z in latents.bin: 16-byte header, then (uint32 seed, float32[zDim]) records', () => {
    const b = readFileSync(join(dir, 'latents.bin'));
    expect(b.toString('latin1', 0, 8)).toBe('DGSLATNT');
    expect(b.readUInt32LE(8)).toBe(1);
    const zDim = b.readUInt32LE(12);
    expect(zDim).toBe(16);
    expect(b.length).toBe(16 + 23 * (4 + 4 * zDim));
    lines.forEach((l, i) => {
      const off = 16 + i * (4 + 4 * zDim);
      expect(b.readUInt32LE(off)).toBe(l.seed);
      const z = new Float32Array(zDim);
      for (let j = 0; j < zDim; j++) z[j] = b.readFloatLE(off + 4 + 4 * j);
      expect([...z]).toEqual([...latentFromSeed(l.seed, zDim)]);
    });
  });

  it('keeps filtered samples in filtered/, and images, labels and colour labels for kept ones', () => {
    for (const l of kept) {
      for (const d of ['images', 'labels', 'labels_color'])
        expect(existsSync(join(dir, d, `${l.name}.png`))).toBe(true);
      expect(existsSync(join(dir, 'filtered/images', `${l.name}.png`))).toBe(false);
    }
    for (const l of filtered) {
      for (const d of ['images', 'labels', 'labels_color']) {
        expect(existsSync(join(dir, 'filtered', d, `${l.name}.png`))).toBe(true);
        expect(existsSync(join(dir, d, `${l.name}.png`))).toBe(false);
      }
    }
    const img = decodePng(readFileSync(join(dir, 'images', `${kept[0].name}.png`)));
    expect([img.width, img.height]).toEqual([SIZE, SIZE]);
    expect(existsSync(join(dir, '.dgs-work'))).toBe(false);
  });

  it('writes label PNGs with the class ids and colour PNGs with the class colours', () => {
    const l = kept[0];
    const labels = labelsOf(join(dir, 'labels', `${l.name}.png`));
    const color = decodePng(readFileSync(join(dir, 'labels_color', `${l.name}.png`))).rgba;
    const palette: Record<number, number[]> = {
      0: [0, 0, 0],
      1: [128, 0, 0],
      2: [0, 128, 0],
      3: [128, 128, 0],
      4: [0, 0, 128],
    };
    expect(new Set(labels).size).toBeGreaterThan(1);
    for (let i = 0; i < labels.length; i++)
      expect([color[i * 4], color[i * 4 + 1], color[i * 4 + 2]]).toEqual(palette[labels[i]]);
  });

  it('coco.json: RLE masks decoded by an independent decoder equal the label PNGs', () => {
    const coco = JSON.parse(readFileSync(join(dir, 'coco.json'), 'utf8'));
    expect(coco.categories.map((c: { id: number }) => c.id)).toEqual([1, 2, 3, 4]);
    expect(coco.images.map((i: { file_name: string }) => i.file_name)).toEqual(kept.map((l) => `images/${l.name}.png`));
    const ids = coco.annotations.map((a: { id: number }) => a.id);
    expect(ids).toEqual([...Array(ids.length).keys()].map((i) => i + 1));
    for (const img of coco.images) {
      const labels = labelsOf(join(dir, 'labels', `${img.file_name.slice(7)}`));
      const rebuilt = new Uint8Array(SIZE * SIZE);
      for (const a of coco.annotations.filter((x: { image_id: number }) => x.image_id === img.id)) {
        expect(a.segmentation.size).toEqual([SIZE, SIZE]);
        expect(a.iscrowd).toBe(0);
        const m = decodeCocoRle(a.segmentation.counts, SIZE, SIZE);
        let area = 0,
          x0 = SIZE,
          y0 = SIZE,
          x1 = -1,
          y1 = -1;
        m.forEach((v, i) => {
          if (!v) return;
          expect(rebuilt[i]).toBe(0); // classes do not overlap
          rebuilt[i] = a.category_id;
          area++;
          const x = i % SIZE,
            y = (i - x) / SIZE;
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        });
        expect(a.area).toBe(area);
        expect(a.bbox).toEqual([x0, y0, x1 - x0 + 1, y1 - y0 + 1]);
      }
      expect([...rebuilt]).toEqual([...labels]);
    }
  });

  it('coco_polygons.json: polygons rasterise to the class masks with holes filled', () => {
    const coco = JSON.parse(readFileSync(join(dir, 'coco_polygons.json'), 'utf8'));
    const rle = JSON.parse(readFileSync(join(dir, 'coco.json'), 'utf8'));
    expect(coco.annotations.length).toBe(rle.annotations.length);
    let exact = 0;
    for (const a of coco.annotations) {
      const name = String(a.image_id - 1).padStart(8, '0');
      const labels = labelsOf(join(dir, 'labels', `${name}.png`));
      const mask = Uint8Array.from(labels, (v) => (v === a.category_id ? 1 : 0));
      const raster = new Uint8Array(SIZE * SIZE);
      for (const poly of a.segmentation) rasterizePolygon(poly, SIZE, SIZE, raster);
      const filled = fillHoles(mask, SIZE, SIZE);
      for (let i = 0; i < mask.length; i++) {
        expect(raster[i] >= mask[i]).toBe(true);
        expect(raster[i] <= filled[i]).toBe(true);
      }
      if (raster.every((v, i) => v === mask[i])) exact++;
    }
    expect(exact).toBeGreaterThan(coco.annotations.length / 2);
  });

  it('VOC: image set of kept samples, palette PNGs storing class ids, images under JPEGImages', () => {
    expect(readFileSync(join(dir, 'VOC/ImageSets/Segmentation/train.txt'), 'utf8')).toBe(
      kept.map((l) => l.name + '\n').join(''),
    );
    expect(listFiles(join(dir, 'VOC/SegmentationClass'))).toEqual(kept.map((l) => `${l.name}.png`));
    expect(listFiles(join(dir, 'VOC/JPEGImages'))).toEqual(kept.map((l) => `${l.name}.jpg`));
    for (const l of kept) {
      const { indices, colorType } = indexedPngIndices(join(dir, 'VOC/SegmentationClass', `${l.name}.png`));
      expect(colorType).toBe(3);
      expect([...indices]).toEqual([...labelsOf(join(dir, 'labels', `${l.name}.png`))]);
      // The JPEG is the PNG image, lossy: decoded, it stays within a few levels of the original.
      const jpg = jpeg.decode(readFileSync(join(dir, 'VOC/JPEGImages', `${l.name}.jpg`)), { useTArray: true });
      const png = decodePng(readFileSync(join(dir, 'images', `${l.name}.png`)));
      let err = 0;
      for (let p = 0; p < jpg.width * jpg.height; p++)
        for (let c = 0; c < 3; c++) err += Math.abs(jpg.data[p * 4 + c] - png.rgba[p * 4 + c]);
      expect(err / (jpg.width * jpg.height * 3)).toBeLessThan(4);
    }
    expect(readFileSync(join(dir, 'VOC/labelmap.txt'), 'utf8')).toContain('part 1:128,0,0::');
  });

  it('YOLO: one normalised polygon per region, class index − 1, data.yaml', () => {
    expect(listFiles(join(dir, 'yolo/labels'))).toEqual(kept.map((l) => `${l.name}.txt`));
    expect(listFiles(join(dir, 'yolo/images'))).toEqual(kept.map((l) => `${l.name}.png`));
    expect(readFileSync(join(dir, 'yolo/data.yaml'), 'utf8')).toContain('names:\n  0: "part 1"\n  1: "part 2"');
    for (const l of kept) {
      const labels = labelsOf(join(dir, 'labels', `${l.name}.png`));
      const union = new Uint8Array(SIZE * SIZE);
      for (const line of readFileSync(join(dir, 'yolo/labels', `${l.name}.txt`), 'utf8')
        .trim()
        .split('\n')) {
        const [cls, ...coords] = line.split(' ').map(Number);
        expect(coords.length % 2).toBe(0);
        expect(coords.every((v) => v >= 0 && v <= 1)).toBe(true);
        const raster = rasterizePolygon(
          coords.map((v) => v * SIZE),
          SIZE,
          SIZE,
        );
        const filled = fillHoles(
          Uint8Array.from(labels, (v) => (v === cls + 1 ? 1 : 0)),
          SIZE,
          SIZE,
        );
        raster.forEach((v, i) => {
          if (v) {
            expect(filled[i]).toBe(1);
            union[i] = 1;
          }
        });
      }
      labels.forEach((v, i) => {
        if (v !== 0) expect(union[i]).toBe(1);
      });
    }
  });

  it('writes a dataset card, a contact sheet and reports progress with an ETA', () => {
    const card = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const s of [
      'Generated: 23',
      'Kept: 18',
      'Filtered out: 5',
      'part 4',
      'cvMeanIoU',
      'dgs generate <project.dgs> --count 18',
      '--filter 0.25',
      '--seed 4294967290',
    ]) {
      expect(card).toContain(s);
    }
    const sheet = decodePng(readFileSync(join(dir, 'contact-sheet.png')));
    // All 23 samples (filtered ones framed in red), 4 image + overlay pairs per row → 6 rows.
    expect([sheet.width, sheet.height]).toEqual([4 * (2 * 32 + 2) + 5 * 2, 6 * 32 + 7 * 2]);
    const gen = progress.filter((p) => p.phase === 'generating');
    expect(gen.map((p) => p.done)).toEqual([0, 4, 8, 12, 16, 20, 23]);
    expect(gen.every((p) => p.total === 23)).toBe(true);
    expect(gen.at(-1)!.etaSeconds).toBe(0);
    expect(gen[1].rate).toBeGreaterThan(0);
    expect(progress.at(-1)!.phase).toBe('finished');
  });

  it('is deterministic: a second run, with another batch size, is byte-identical', async () => {
    const again = newDir();
    await runGeneration(shapeSource(), { ...BASE, batch: 7, outDir: again });
    expect(treeDifferences(dir, again)).toEqual([]);
  });

  it('writes the same bytes when the files are written by the writer thread', async () => {
    const threaded = newDir();
    const writerScript = new URL('../write-worker-boot.mjs', import.meta.url);
    await runGeneration(shapeSource(), { ...BASE, outDir: threaded }, { writerScript });
    expect(treeDifferences(dir, threaded)).toEqual([]);
  });
});

describe('runGeneration: refusals, cancel and resume', () => {
  it('refuses a non-empty folder without resume, with a sentence', async () => {
    const dir = newDir();
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await expect(runGeneration(shapeSource(), { ...BASE, outDir: dir })).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringMatching(/not empty and holds no generation run; choose an empty folder/),
    });
    await expect(runGeneration(shapeSource(), { ...BASE, outDir: dir, resume: true })).rejects.toMatchObject({
      name: 'UserError',
    });
    expect(listFiles(dir)).toEqual(['notes.txt']);
  });

  it('refuses a new run into a folder holding an earlier one, with the code that offers to resume it', async () => {
    const dir = newDir();
    const ac = new AbortController();
    ac.abort();
    await runGeneration(shapeSource(), { ...BASE, outDir: dir, signal: ac.signal });
    await expect(runGeneration(shapeSource(), { ...BASE, outDir: dir })).rejects.toMatchObject({
      name: 'UserError',
      code: 'resumable',
      message: `The output folder ${dir} already holds a generation run; resume it, or choose an empty folder.`,
    });
  });

  it('refuses to resume a run with other settings', async () => {
    const dir = newDir();
    const ac = new AbortController();
    ac.abort();
    await runGeneration(shapeSource(), { ...BASE, outDir: dir, signal: ac.signal });
    await expect(runGeneration(shapeSource(), { ...BASE, seed: 1, outDir: dir, resume: true })).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringContaining('seed'),
    });
  });

  it('parses --shard i/n and computes G for any count and filter', () => {
    expect(parseShard(' 3/8')).toEqual({ index: 3, count: 8 });
    expect(() => parseShard('8/8')).toThrow(/does not exist/);
    expect(() => parseShard('a/b')).toThrow(/i\/n/);
    for (const f of [0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.9]) {
      for (let n = 1; n < 300; n += 7) {
        const g = generatedCountFor(n, f);
        expect(g - filteredCount(g, f)).toBe(n);
        expect(g - 1 - filteredCount(g - 1, f)).toBeLessThan(n);
      }
    }
    expect(generatedCountFor(1000, 0.1)).toBe(1111);
  });

  it('refuses bad arguments and a run that cannot fit on the disk', async () => {
    await expect(runGeneration(shapeSource(), { ...BASE, outDir: newDir(), filter: 1 })).rejects.toMatchObject({
      name: 'UserError',
    });
    await expect(runGeneration(shapeSource(), { ...BASE, outDir: newDir(), formats: ['tiff'] })).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringContaining('tiff'),
    });
    await expect(
      runGeneration(shapeSource(), { ...BASE, outDir: newDir(), shard: { index: 2, count: 2 } }),
    ).rejects.toMatchObject({ name: 'UserError' });
    const tooBig = join(newDir(), 'nested');
    await expect(
      runGeneration(shapeSource({ resolution: 1024 }), { ...BASE, outDir: tooBig, count: 50_000_000 }),
    ).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringMatching(/need about .* free/),
    });
    expect(existsSync(tooBig)).toBe(false);
  });

  it('cancel leaves a resumable folder; resume finishes it byte-identical to an uninterrupted run', async () => {
    const full = newDir();
    await runGeneration(shapeSource(), { ...BASE, outDir: full });
    const dir = newDir();
    const ac = new AbortController();
    const first = await runGeneration(shapeSource(), {
      ...BASE,
      outDir: dir,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done >= 8) ac.abort();
      },
    });
    expect(first).toMatchObject({ status: 'cancelled', done: 8 });
    expect(manifest(dir).length).toBe(8);
    const source = shapeSource();
    const second = await runGeneration(source, { ...BASE, outDir: dir, resume: true, batch: 5 });
    expect(second).toMatchObject({ status: 'finished', kept: 18 });
    expect(source.produced.flat()[0]).toBe((4294967290 + 8) % 2 ** 32); // nothing done twice
    expect(treeDifferences(full, dir)).toEqual([]);
    // Resuming a finished run is a no-op.
    const third = await runGeneration(shapeSource(), { ...BASE, outDir: dir, resume: true });
    expect(third).toMatchObject({ status: 'finished', kept: 18 });
    expect(treeDifferences(full, dir)).toEqual([]);
  });
});

describe('shards', () => {
  it('shards 0/2 + 1/2 are disjoint slices; merged they equal the unsharded run byte for byte', async () => {
    const full = newDir();
    await runGeneration(shapeSource(), { ...BASE, outDir: full });
    const shards = [newDir(), newDir()];
    const seen: number[][] = [];
    for (let i = 0; i < 2; i++) {
      const src = shapeSource();
      const s = await runGeneration(src, { ...BASE, outDir: shards[i], shard: { index: i, count: 2 } });
      expect(s).toMatchObject({ status: 'shard-finished', done: [12, 11][i] });
      seen.push(src.produced.flat());
      expect(manifest(shards[i]).every((l) => l.status === 'pending' && l.index % 2 === i)).toBe(true);
    }
    expect(seen[0].filter((x) => seen[1].includes(x))).toEqual([]);
    const merged = newDir();
    const m = await mergeShards([shards[1], shards[0]], merged);
    expect(m).toMatchObject({ status: 'finished', kept: 18, filtered: 5 });
    expect(treeDifferences(full, merged)).toEqual([]);
  });

  it('three uneven shards merge to the unsharded run; missing or foreign shards are refused', async () => {
    const opts = { ...BASE, count: 10, filter: 0.1, formats: ['coco'] };
    const full = newDir();
    await runGeneration(shapeSource(), { ...opts, outDir: full });
    const shards = [newDir(), newDir(), newDir()];
    for (let i = 0; i < 3; i++)
      await runGeneration(shapeSource(), { ...opts, outDir: shards[i], shard: { index: i, count: 3 }, batch: 2 });
    await expect(mergeShards(shards.slice(0, 2), newDir())).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringContaining('missing'),
    });
    const other = newDir();
    await runGeneration(shapeSource(), { ...opts, seed: 3, outDir: other, shard: { index: 2, count: 3 } });
    await expect(mergeShards([shards[0], shards[1], other], newDir())).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringContaining('seed'),
    });
    const merged = newDir();
    await mergeShards(shards, merged);
    expect(treeDifferences(full, merged)).toEqual([]);
  });
});
