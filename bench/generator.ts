/**
 * bench/generator: how fast the generator runs, and how close to the machine's matmul rate.
 * Prints JSON: images/s by batch size (median of timed runs), the synthesis graph's FLOPs per image
 * (tools/onnx_flops.py, convolutions and matmuls), achieved GFLOP/s and its fraction of the matmul peak
 * measured in the same run.
 *
 * Usage: npx tsx bench/generator.ts [bundle dir | default] [--batches 1,2,4,8,16] [--runs 5]
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveModelArg } from '../src/node/bundle/assets';
import { readBundleDir } from '../src/node/bundle/bundle';
import { Generator } from '../src/compute/generator/generator';
import { matmulPeakGflops, median } from './matmul-peak';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    batches: { type: 'string', default: '1,2,4,8,16' },
    runs: { type: 'string', default: '5' },
    provider: { type: 'string', default: 'auto' },
  },
});
const dir = resolveModelArg(positionals[0] ?? 'default');
const batches = values.batches!.split(',').map(Number);
const runs = Number(values.runs);

function flopsPerImage(bundleDir: string): number | null {
  const r = spawnSync(
    '/usr/bin/python3',
    [path.resolve('tools/onnx_flops.py'), path.join(bundleDir, 'synthesis.onnx')],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) return null;
  return (JSON.parse(r.stdout) as { flops: number }).flops;
}

const bundle = readBundleDir(dir);
const gen = await Generator.load(bundle, { provider: values.provider as 'auto' });
const byBatch: { batch: number; imagesPerSecond: number; msPerImage: number }[] = [];
for (const b of batches) {
  const seeds = Array.from({ length: b }, (_, i) => i);
  await gen.generate(seeds, 0.7); // warm-up: first runs allocate and plan
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    await gen.generate(seeds, 0.7);
    rates.push(b / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  const ips = median(rates);
  byBatch.push({ batch: b, imagesPerSecond: +ips.toFixed(2), msPerImage: +(1000 / ips).toFixed(2) });
}
await gen.dispose();
const flops = flopsPerImage(dir);
const peak = await matmulPeakGflops();
const best = byBatch.reduce((a, c) => (c.imagesPerSecond > a.imagesPerSecond ? c : a));
const achieved = flops ? (flops * best.imagesPerSecond) / 1e9 : null;
console.log(
  JSON.stringify(
    {
      bench: 'generator',
      model: bundle.manifest.name,
      resolution: bundle.manifest.resolution,
      provider: gen.provider,
      cpus: os.availableParallelism(),
      runsPerBatch: runs,
      byBatch,
      flopsPerImage: flops,
      bestBatch: best.batch,
      achievedGflops: achieved === null ? null : +achieved.toFixed(2),
      matmulPeakGflops: +peak.toFixed(2),
      fractionOfMatmulPeak: achieved === null ? null : +(achieved / peak).toFixed(3),
    },
    null,
    2,
  ),
);
