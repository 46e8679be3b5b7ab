/**
 * The training gather at the size issue 22 measures: 16 images of a generator's maps (the manifest's
 * shapes, e.g. /tmp/rand256s from tools/make_random_bundle.py --resolution 256 --max-channels 112),
 * labels at the generator's resolution, float16, the trainer's 384 MiB budget (the rest spilled to
 * file). Gathers steps of 64 random pixels into a batch buffer, as one member's step does; prints one
 * JSON line with the median over `repeats` of the time per member-step and per pixel, and the process
 * CPU time. Deterministic pixels, so two checkouts gather the same rows.
 *
 *   npx tsx bench/interpreter-parts/gather-256.ts /tmp/rand256s [repeats=7] [steps=400]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FeatureShape } from '../../src/shared/interpreter-types';
import { PixelFeatureStore } from '../../src/compute/interpreter/train/pixel-features';
import { randomMaps } from '../../src/compute/interpreter/test/synthetic';
import { median } from '../matmul-peak';

const bundle = process.argv[2] ?? '/tmp/rand256s';
const repeats = Number(process.argv[3] ?? 7);
const steps = Number(process.argv[4] ?? 400);
const manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as {
  resolution: number;
  features: FeatureShape[];
};
const shapes = manifest.features.map(({ name, channels, resolution }) => ({ name, channels, resolution }));
const L = manifest.resolution;
const IMAGES = 16;
const B = 64;
const store = new PixelFeatureStore(shapes, L, {
  precision: 'float16',
  memoryBytes: 384 * 1024 * 1024,
  expectedImages: IMAGES,
});
for (let i = 0; i < IMAGES; i++) await store.addImage(randomMaps(shapes, i + 1));
await store.flush();
const D = store.dims;
const out = store.batchBuffer(B * D);
let seed = 12345;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const perStep: number[] = [];
const cpu0 = process.cpuUsage();
let sum = 0;
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  for (let s = 0; s < steps; s++)
    for (let j = 0; j < B; j++) store.gather((rand() * IMAGES) | 0, (rand() * L * L) | 0, out, j * D);
  perStep.push((performance.now() - t0) / steps);
  sum += out[7];
}
const cpu = process.cpuUsage(cpu0);
const ms = median(perStep);
console.log(
  JSON.stringify({
    bench: 'gather-256',
    dims: D,
    labelResolution: L,
    spilled: store.spilledMaps(),
    msPerMemberStep: Math.round(ms * 1000) / 1000,
    usPerPixel: Math.round((ms / B) * 1e4) / 10,
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    load: os.loadavg()[0],
    check: sum,
  }),
);
await store.dispose();
