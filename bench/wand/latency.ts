/**
 * The wand's click latency on a full-size generator: a few samples of a random-weight bundle, each
 * clicked like a labeler would (a first click, then Shift/Alt clicks at seeded random places, starting
 * over after eight), every click timed as wall time and as this process's CPU time. The sample's first
 * click, which runs the generator and builds the embedding, is reported apart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readBundleDir } from '../../src/node/bundle/bundle';
import type { Compute, ModelRef } from '../../src/shared/compute-api';
import { SeededRng } from '../../src/shared/rng';
import { WAND_DEFAULT_TOLERANCE, type WandClick } from '../../src/shared/wand';
import { DEFAULT_EMBEDDING } from '../../src/compute/wand/feature-embedding';

const SAMPLES = 3;
const CLICKS_PER_SELECTION = 8;

function quantile(v: number[], q: number): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

export async function measureLatency(compute: Compute, dir: string, clicks: number) {
  if (!fs.existsSync(path.join(dir, 'manifest.json')))
    throw new Error(`No bundle at ${dir}: /usr/bin/python3 tools/make_random_bundle.py --resolution N --out ${dir}`);
  const bundle = readBundleDir(dir);
  const R = bundle.manifest.resolution;
  const model: ModelRef = {
    sha256: bundle.sha256,
    provider: 'cpu',
    source: () => ({
      sha256: bundle.sha256,
      manifestJson: bundle.manifestJson,
      mapping: bundle.mapping,
      synthesis: bundle.synthesis,
    }),
  };
  await compute.model(model);
  const seeds = Array.from({ length: SAMPLES }, (_, i) => 100 + i);
  const { w } = await compute.sample(model, { seeds, psi: bundle.manifest.defaultPsi, images: false });
  const wDim = bundle.manifest.wDim;
  const rng = new SeededRng(7);
  const first: number[] = [];
  const wall: number[] = [];
  const cpu: number[] = [];
  const load = os.loadavg()[0];
  for (let s = 0; s < SAMPLES; s++) {
    const latent = { w: w.slice(s * wDim, (s + 1) * wDim), psi: bundle.manifest.defaultPsi };
    const pick = (positive: boolean): WandClick => ({
      x: Math.floor(rng.nextDouble() * R),
      y: Math.floor(rng.nextDouble() * R),
      positive,
    });
    const select = (list: WandClick[]) =>
      timed(() =>
        compute.wand(model, null, {
          sampleKey: `latency-${s}`,
          latent,
          clicks: list,
          tolerance: WAND_DEFAULT_TOLERANCE,
          classId: 1,
        }),
      );
    let list = [pick(true)];
    first.push((await select(list)).wallMs);
    for (let k = 0; k < Math.ceil(clicks / SAMPLES); k++) {
      list = list.length >= CLICKS_PER_SELECTION ? [pick(true)] : [...list, pick(rng.nextDouble() < 0.6)];
      const t = await select(list);
      wall.push(t.wallMs);
      cpu.push(t.cpuMs);
    }
  }
  const r1 = (v: number) => +v.toFixed(1);
  return {
    resolution: R,
    model: bundle.manifest.name,
    featureDims: bundle.manifest.features.reduce((a, f) => a + f.channels, 0),
    clicks: wall.length,
    clickP50Ms: r1(quantile(wall, 0.5)),
    clickP95Ms: r1(quantile(wall, 0.95)),
    clickCpuP50Ms: r1(quantile(cpu, 0.5)),
    clickCpuP95Ms: r1(quantile(cpu, 0.95)),
    firstClickMs: first.map(r1),
    cachedBytesPerSample: DEFAULT_EMBEDDING.dims * R * R,
    loadavgBefore: +load.toFixed(2),
    loadavgAfter: +os.loadavg()[0].toFixed(2),
  };
}
