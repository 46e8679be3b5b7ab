/**
 * The benchmark's annotated samples, generated once and cached on disk so that every measured child
 * process reads the same features and labels (and none carries the generator's memory):
 *   meta.json                 shapes, label resolutions, classes, where the labels came from
 *   features-<i>.f32          sample i's maps, manifest order, each [C, r, r] float32, concatenated
 *   labels-<L>-<i>.u8         sample i's class ids at label resolution L
 *
 * Labels are either the demo project's annotations (assets/demo-project: seeds, ψ, label PNGs) or
 * synthetic: the image's luminance, box-averaged to L, quantised into 4 classes at the quartiles over
 * all samples (a fixed rule, no clustering), for generators without annotations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readBundleDir } from '../../src/node/bundle/bundle';
import { Generator } from '../../src/compute/generator/generator';
import { decodeLabelPng } from '../../src/node/io/png';
import type { FeatureMaps, FeatureShape } from '../../src/shared/interpreter-types';
import type { NaiveSample, NaiveSource } from './naive';

export interface CacheMeta {
  bundle: string;
  bundleSha256: string;
  bundleName: string;
  imageResolution: number;
  shapes: FeatureShape[];
  labelResolutions: number[];
  numClasses: number;
  count: number;
  labels: 'demo' | 'luminance';
  seeds: number[];
}

export interface BuildCacheArgs {
  bundleDir: string;
  labels: 'demo' | 'luminance';
  /** Samples (luminance labels: seeds 0…count−1 at the bundle's default ψ; demo: the first count of samples.json). */
  count: number;
  /** Label resolutions to write (luminance only; demo labels are at the image resolution). */
  labelResolutions?: number[];
  dir: string;
  demoProjectDir?: string;
}

/** Box-averages an R×R luminance image down to L×L (R a multiple of L). */
function boxDown(lum: Float32Array, R: number, L: number): Float32Array {
  const f = R / L;
  const out = new Float32Array(L * L);
  for (let y = 0; y < R; y++)
    for (let x = 0; x < R; x++) out[((y / f) | 0) * L + ((x / f) | 0)] += lum[y * R + x] / (f * f);
  return out;
}

export async function buildCache(a: BuildCacheArgs): Promise<CacheMeta> {
  const bundle = readBundleDir(a.bundleDir);
  const m = bundle.manifest;
  const metaFile = path.join(a.dir, 'meta.json');
  if (fs.existsSync(metaFile)) {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as CacheMeta;
    const want = a.labels === 'demo' ? [m.resolution] : (a.labelResolutions ?? [m.resolution]);
    if (
      meta.bundle === path.resolve(a.bundleDir) &&
      meta.bundleSha256 === bundle.sha256 &&
      meta.labels === a.labels &&
      meta.count === a.count &&
      want.every((L) => meta.labelResolutions.includes(L))
    )
      return meta;
  }
  fs.mkdirSync(a.dir, { recursive: true });
  let seeds: number[];
  let psis: number[];
  let numClasses: number;
  const demoDir = a.demoProjectDir ?? path.resolve('assets/demo-project');
  if (a.labels === 'demo') {
    const samples = (
      JSON.parse(fs.readFileSync(path.join(demoDir, 'samples.json'), 'utf8')) as { seed: number; psi: number }[]
    ).slice(0, a.count);
    seeds = samples.map((s) => s.seed);
    psis = samples.map((s) => s.psi);
    numClasses = (JSON.parse(fs.readFileSync(path.join(demoDir, 'classes.json'), 'utf8')) as unknown[]).length;
  } else {
    seeds = Array.from({ length: a.count }, (_, i) => i);
    psis = seeds.map(() => m.defaultPsi);
    numClasses = 4;
  }
  const Ls = a.labels === 'demo' ? [m.resolution] : (a.labelResolutions ?? [m.resolution]);
  const gen = await Generator.load(bundle, { provider: 'cpu' });
  const R = m.resolution;
  const lums: Float32Array[] = [];
  try {
    for (let i = 0; i < seeds.length; i++) {
      const b = await gen.generate([seeds[i]], psis[i], true);
      const maps = (b.features as FeatureMaps[])[0];
      const fd = fs.openSync(path.join(a.dir, `features-${i}.f32`), 'w');
      for (const f of maps) fs.writeSync(fd, new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength));
      fs.closeSync(fd);
      if (a.labels === 'demo') {
        const png = fs.readFileSync(path.join(demoDir, 'annotations', `seed-${seeds[i]}.png`));
        const { labels, width } = decodeLabelPng(png, `seed-${seeds[i]}.png`);
        if (width !== R)
          throw new Error(`annotation seed-${seeds[i]}.png is ${width} wide but the model makes ${R}² images`);
        fs.writeFileSync(path.join(a.dir, `labels-${R}-${i}.u8`), labels);
      } else {
        const rgb = b.images[0];
        lums.push(
          Float32Array.from(
            { length: R * R },
            (_, p) => 0.299 * rgb[3 * p] + 0.587 * rgb[3 * p + 1] + 0.114 * rgb[3 * p + 2],
          ),
        );
      }
    }
  } finally {
    await gen.dispose();
  }
  if (a.labels === 'luminance') {
    for (const L of Ls) {
      const down = lums.map((l) => (L === R ? l : boxDown(l, R, L)));
      const all = Float32Array.from(down.flatMap((d) => Array.from(d))).sort();
      const q = [0.25, 0.5, 0.75].map((f) => all[Math.floor(f * (all.length - 1))]);
      down.forEach((d, i) =>
        fs.writeFileSync(
          path.join(a.dir, `labels-${L}-${i}.u8`),
          Uint8Array.from(d, (v) => (v > q[0] ? 1 : 0) + (v > q[1] ? 1 : 0) + (v > q[2] ? 1 : 0)),
        ),
      );
    }
  }
  const meta: CacheMeta = {
    bundle: path.resolve(a.bundleDir),
    bundleSha256: bundle.sha256,
    bundleName: m.name,
    imageResolution: R,
    shapes: m.features.map((f) => ({ name: f.name, channels: f.channels, resolution: f.resolution })),
    labelResolutions: Ls,
    numClasses,
    count: seeds.length,
    labels: a.labels,
    seeds,
  };
  fs.writeFileSync(metaFile, JSON.stringify(meta, null, 1));
  return meta;
}

export function readMeta(dir: string): CacheMeta {
  return JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as CacheMeta;
}

/** Sample `index` of the cache: its maps (views into one fresh buffer, like a generator's output) and labels at L. */
export function loadCached(dir: string, meta: CacheMeta, index: number, L: number): NaiveSample {
  const buf = fs.readFileSync(path.join(dir, `features-${index}.f32`));
  const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  let off = 0;
  const features: FeatureMaps = meta.shapes.map((s) => {
    const n = s.channels * s.resolution * s.resolution;
    const data = all.subarray(off, off + n);
    off += n;
    return { ...s, data };
  });
  return { features, labels: new Uint8Array(fs.readFileSync(path.join(dir, `labels-${L}-${index}.u8`))) };
}

/** A one-at-a-time source over some of the cache's samples; `loadSeconds` adds up the time spent reading files. */
export function cachedSource(
  dir: string,
  meta: CacheMeta,
  indices: number[],
  L: number,
): NaiveSource & { loadSeconds: number } {
  const src = {
    count: indices.length,
    loadSeconds: 0,
    async load(i: number) {
      const t0 = performance.now();
      const s = loadCached(dir, meta, indices[i], L);
      src.loadSeconds += (performance.now() - t0) / 1000;
      return s;
    },
  };
  return src;
}
