/**
 * bench/generate: what labeling costs on top of generating, and whether memory stays flat in N.
 * Prints JSON:
 *  - bare generator samples/s (images only) and labeled samples/s (images + feature maps + the whole
 *    ensemble's labels and uncertainty), measured in the same process, and their ratio;
 *  - the full `dgs generate` pipeline (PNG, COCO, VOC, YOLO files) at two N, each in its own process
 *    under /usr/bin/time: wall seconds, samples/s and peak RSS.
 *
 * Usage: npx tsx bench/generate.ts [--project P.dgs] [--samples 64] [--n 100,400] [--batch 8]
 * Without --project it builds the demo project (and trains its interpreter) in a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalCompute } from '../src/compute';
import { buildDemoProject } from '../src/engine/jobs/demo';
import { trainProject } from '../src/engine/jobs/train-project';
import { Project } from '../src/engine/project';
import { latestTrained, projectModel } from '../src/engine/project-model';
import { median } from './matmul-peak';

const { values } = parseArgs({
  options: {
    project: { type: 'string' },
    samples: { type: 'string', default: '64' },
    n: { type: 'string', default: '100,400' },
    batch: { type: 'string', default: '8' },
    repeats: { type: 'string', default: '3' },
  },
});
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-bench-gen-'));
const samples = Number(values.samples);
const batch = Number(values.batch);

const compute = openLocalCompute();
let file = values.project;
if (!file) {
  file = path.join(tmp, 'demo.dgs');
  await buildDemoProject(file, compute);
}
const project = Project.open(file);
const { ref: model, manifest: m } = projectModel(project);
const provider = await compute.model(model);
if (!latestTrained(project, model.sha256)) await trainProject(project, compute);
const trained = latestTrained(project, model.sha256)!;

async function rate(fn: (seeds: number[]) => Promise<unknown>): Promise<number> {
  await fn(Array.from({ length: batch }, (_, i) => 100000 + i)); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < Number(values.repeats); r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < samples; i += batch) await fn(Array.from({ length: Math.min(batch, samples - i) }, (_, k) => i + k));
    rates.push(samples / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return median(rates);
}

// Interleave nothing: both measured back to back in this process on the same seeds and batch size.
const bare = await rate((seeds) => compute.sample(model, { seeds, psi: m.defaultPsi, images: true }));
const labeled = await rate((seeds) => compute.label(model, trained.ref, { input: { seeds, psi: m.defaultPsi }, want: { labels: true, uncertainty: true, images: true } }));
const members = trained.trained().config.members;
await compute.dispose();
project.close();

const pipeline = values.n!.split(',').map(Number).map((n) => {
  const out = path.join(tmp, `ds-${n}`);
  const r = spawnSync('/usr/bin/time', ['-f', '%M %e', process.execPath, path.resolve('bin/dgs.js'), 'generate', file!, '--count', String(n), '--out', out, '--format', 'coco,voc,yolo', '--batch', String(batch)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dgs generate failed: ${r.stderr}`);
  const [kb, secs] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  const generated = fs.readFileSync(path.join(out, 'manifest.jsonl'), 'utf8').trim().split('\n').length;
  return { keep: n, generated, wallSeconds: secs, samplesPerSecond: +(generated / secs).toFixed(2), peakRssMiB: +(kb / 1024).toFixed(1) };
});

console.log(JSON.stringify({
  bench: 'generate',
  model: m.name,
  resolution: m.resolution,
  provider,
  members,
  cpus: os.availableParallelism(),
  batch,
  samplesTimed: samples,
  bareSamplesPerSecond: +bare.toFixed(2),
  labeledSamplesPerSecond: +labeled.toFixed(2),
  labelingCostRatio: +(bare / labeled).toFixed(3),
  pipeline,
  rssGrowthMiB: +(pipeline.at(-1)!.peakRssMiB - pipeline[0].peakRssMiB).toFixed(1),
}, null, 2));
fs.rmSync(tmp, { recursive: true, force: true });
