/**
 * Peak memory of training on 16 annotated samples of a 512²-shaped StyleGAN2 (6,016 feature dims:
 * const 512@4, 512@4, 512@8×2, 512@16×2, 512@32×2, 512@64×2, 256@128×2, 128@256×2, 64@512×2).
 * Samples come through the loader one at a time (~257 MB of float32 maps each, as a generator would
 * return them) and are dropped after the store has copied them. Prints one JSON line.
 *
 *   npx tsx bench/interpreter-parts/memory-probe.ts [steps=8] [samples=16] [cv=0|1] [workers=auto]
 *
 * With cv=1 the leave-one-out cross-validation runs too (its folds capped at the same steps), which
 * adds labeling each held-out 512² sample with the factorised graph.
 */
import os from 'node:os';
import type { FeatureMaps, FeatureShape } from '../../src/shared/interpreter-types';
import { trainInterpreter } from '../../src/compute/interpreter/train/train-interpreter';

export function stylegan2Shapes512(): FeatureShape[] {
  const spec: [number, number][] = [
    [512, 4],
    [512, 8],
    [512, 8],
    [512, 16],
    [512, 16],
    [512, 32],
    [512, 32],
    [512, 64],
    [512, 64],
    [256, 128],
    [256, 128],
    [128, 256],
    [128, 256],
    [64, 512],
    [64, 512],
  ];
  return [
    { name: 'const', channels: 512, resolution: 4 },
    ...spec.map(([c, r], i) => ({ name: `conv${i}`, channels: c, resolution: r })),
  ];
}

async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? 8);
  const count = Number(process.argv[3] ?? 16);
  const cv = process.argv[4] === '1';
  const workers = process.argv[5] && process.argv[5] !== 'auto' ? Number(process.argv[5]) : 'auto';
  const shapes = stylegan2Shapes512();
  const L = 512;
  // One block of pseudo-random values, read at a different offset per map and sample: cheap to make,
  // and every sample's maps are distinct fresh allocations like a generator's outputs.
  const block = new Float32Array(1 << 20);
  let s = 1;
  for (let i = 0; i < block.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    block[i] = s / 2 ** 31 - 1;
  }
  const load = async (index: number) => {
    const features: FeatureMaps = shapes.map((f, m) => {
      const data = new Float32Array(f.channels * f.resolution * f.resolution);
      const off = (index * 7919 + m * 104729) % block.length;
      for (let i = 0; i < data.length; i += block.length - off)
        data.set(block.subarray(off, Math.min(block.length, off + data.length - i)), i);
      return { name: f.name, channels: f.channels, resolution: f.resolution, data };
    });
    const labels = new Uint8Array(L * L);
    for (let p = 0; p < labels.length; p++) labels[p] = ((p >> 9) * 9) >> 9; // 9 horizontal bands
    return { features, labels };
  };
  const t0 = performance.now();
  let peakBeforeEnsembleMB = 0;
  const trained = await trainInterpreter({
    samples: { count, load },
    labelResolution: L,
    numClasses: 9,
    options: { members: 10, maxSteps: steps, cvFolds: cv ? 'auto' : 0, cvMaxSteps: steps, workers },
    onProgress: (e) => {
      if (e.phase === 'ensemble' && !peakBeforeEnsembleMB)
        peakBeforeEnsembleMB = Math.round(process.resourceUsage().maxRSS / 1024);
    },
  });
  const ru = process.resourceUsage();
  console.log(
    JSON.stringify({
      bench: 'interpreter-memory-512',
      samples: count,
      featureDims: shapes.reduce((a, f) => a + f.channels, 0),
      stepsPerMember: trained.config.stepsPerMember[0],
      cvFolds: trained.metrics.folds,
      workers,
      cvSeconds: trained.metrics.cvSeconds,
      peakRssMB: Math.round(ru.maxRSS / 1024),
      peakBeforeEnsembleMB,
      featureMemoryBytes: trained.config.options.featureMemoryBytes,
      wallSeconds: (performance.now() - t0) / 1000,
      // The store's preparation (every sample into the store, spill included), and the CPU it took.
      loadSeconds: trained.metrics.loadSeconds,
      cpuSeconds: (ru.userCPUTime + ru.systemCPUTime) / 1e6,
      loadAverage: os.loadavg(),
    }),
  );
}

if (process.argv[1]?.endsWith('memory-probe.ts')) void main();
