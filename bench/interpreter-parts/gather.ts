/**
 * The training gather alone: a chunk of 33 ten-member steps (33 × 640 pixels × the demo model's 784
 * dims, drawn at random from 16 images at 64²), written by PixelFeatureStore.gather into its batch
 * buffer (WebAssembly SIMD kernel), against the plain-JS loop it replaced (float16 table lookups, the
 * same channel-last maps), as the trainer gathers a chunk before each run. Both in the same run,
 * alternating; prints one JSON line with the medians over `repeats` chunks, per step.
 *
 *   npx tsx bench/interpreter-parts/gather.ts [repeats=9] [precision=float16|float32]
 */
import fs from 'node:fs';
import type { FeatureShape } from '../../src/shared/interpreter-types';
import { PixelFeatureStore } from '../../src/compute/interpreter/train/pixel-features';
import { bilinearTaps } from '../../src/compute/interpreter/bilinear-taps';
import { float16ToFloat32Table, float32BitsToFloat16 } from '../../src/compute/interpreter/train/float16';
import { randomMaps } from '../../src/compute/interpreter/test/synthetic';
import { median } from '../matmul-peak';

const repeats = Number(process.argv[2] ?? 9);
const precision = (process.argv[3] ?? 'float16') as 'float16' | 'float32';
const manifest = JSON.parse(fs.readFileSync('assets/demo-model.dgsmodel/manifest.json', 'utf8')) as {
  features: FeatureShape[];
};
const shapes = manifest.features.map(({ name, channels, resolution }) => ({ name, channels, resolution }));
const L = 64,
  IMAGES = 16,
  ROWS = 640,
  STEPS = 33;
const store = new PixelFeatureStore(shapes, L, { precision });
const images = Array.from({ length: IMAGES }, (_, i) => randomMaps(shapes, i + 1));
for (const m of images) await store.addImage(m);
const D = store.dims;

// The baseline: the same maps channel-last (float16 bits or float32) and the JS mixing loop.
const half = float16ToFloat32Table();
const js = images.map((maps) =>
  maps.map((m) => {
    const hw = m.resolution * m.resolution;
    const out = precision === 'float16' ? new Uint16Array(m.channels * hw) : new Float32Array(m.channels * hw);
    const bits = new Uint32Array(m.data.buffer, m.data.byteOffset, m.data.length);
    for (let ch = 0; ch < m.channels; ch++) {
      for (let p = 0; p < hw; p++)
        out[p * m.channels + ch] =
          precision === 'float16' ? float32BitsToFloat16(bits[ch * hw + p]) : m.data[ch * hw + p];
    }
    return out;
  }),
);
const taps = shapes.map((s) => bilinearTaps(s.resolution, L));
const offsets = shapes.map((_, i) => shapes.slice(0, i).reduce((a, s) => a + s.channels, 0));
function gatherJs(image: number, pixel: number, out: Float32Array, at: number): void {
  const oy = (pixel / L) | 0,
    ox = pixel - oy * L;
  for (let m = 0; m < shapes.length; m++) {
    const { channels: c, resolution: r } = shapes[m];
    const t = taps[m];
    const y0 = t.i0[oy],
      y1 = t.i1[oy],
      ly = t.lambda[oy],
      x0 = t.i0[ox],
      x1 = t.i1[ox],
      lx = t.lambda[ox];
    const w00 = (1 - ly) * (1 - lx),
      w01 = (1 - ly) * lx,
      w10 = ly * (1 - lx),
      w11 = ly * lx;
    const a = js[image][m];
    const p00 = (y0 * r + x0) * c,
      p01 = (y0 * r + x1) * c,
      p10 = (y1 * r + x0) * c,
      p11 = (y1 * r + x1) * c;
    const base = at + offsets[m];
    if (a instanceof Uint16Array) {
      for (let ch = 0; ch < c; ch++)
        out[base + ch] =
          w00 * half[a[p00 + ch]] + w01 * half[a[p01 + ch]] + w10 * half[a[p10 + ch]] + w11 * half[a[p11 + ch]];
    } else {
      for (let ch = 0; ch < c; ch++)
        out[base + ch] = w00 * a[p00 + ch] + w01 * a[p01 + ch] + w10 * a[p10 + ch] + w11 * a[p11 + ch];
    }
  }
}

const wasmOut = store.batchBuffer(STEPS * ROWS * D);
const jsOut = new Float32Array(STEPS * ROWS * D);
const hash = (r: number, s: number) => Math.imul(r * 7919 + s, 0x9e3779b1) >>> 0;
const times: Record<'wasm' | 'js', number[]> = { wasm: [], js: [] };
for (let s = 0; s < repeats + 2; s++) {
  for (const [name, fn, out] of [
    ['wasm', store.gather.bind(store), wasmOut],
    ['js', gatherJs, jsOut],
  ] as const) {
    const t0 = performance.now();
    for (let r = 0; r < STEPS * ROWS; r++) {
      const h = hash(r, s);
      fn(h % IMAGES, (h >>> 4) % (L * L), out, r * D);
    }
    if (s >= 2) times[name].push((performance.now() - t0) / STEPS); // two warm-up rounds
  }
}
let maxDiff = 0;
for (let i = 0; i < wasmOut.length; i++) maxDiff = Math.max(maxDiff, Math.abs(wasmOut[i] - jsOut[i]));
console.log(
  JSON.stringify({
    bench: 'interpreter-gather',
    precision,
    rowsPerStep: ROWS,
    stepsPerChunk: STEPS,
    dims: D,
    images: IMAGES,
    labelResolution: L,
    repeats,
    msPerStep: { wasm: median(times.wasm), js: median(times.js) },
    ratioJsOverWasm: Math.round((median(times.js) / median(times.wasm)) * 100) / 100,
    maxAbsDiff: maxDiff,
  }),
);
