/**
 * bench/demo-quality: how good the demo's labels really are, against what its quality report says.
 *
 * The demo generator was fitted to a procedural renderer (docs/demo-model.md), so at ψ = 1 the exact
 * part masks of any seed are known: tools/demo/make_project.py renders them. This script builds the
 * demo project, trains its interpreter as `dgs demo` does (or with `--options` JSON, e.g. '{"earlyStopFromEpoch":1}' for the quick recipe), labels
 * `--samples` generated faces at ψ = 1 (seeds from 1000, never annotated) with the trained ensemble and
 * compares them with the renderer's masks: IoU per class pooled over every pixel, mIoU over the classes
 * present. Prints JSON: the cross-validated estimate (what the report says) next to the true figures.
 *
 *   npx tsx bench/demo-quality.ts [--samples 200] [--options '{"cvMembers":3}'] [--keep DIR]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalCompute } from '../src/compute';
import { Generator } from '../src/compute/generator/generator';
import { createLabeler } from '../src/compute/interpreter';
import { IouAccumulator } from '../src/compute/interpreter/metrics';
import { assetsDir } from '../src/node/bundle/assets';
import { readBundleDir } from '../src/node/bundle/bundle';
import { decodeLabelPng } from '../src/node/io/png';
import { buildDemoProject } from '../src/engine/jobs/demo';
import { trainProject } from '../src/engine/jobs/train-project';
import { Project } from '../src/engine/project';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '200' },
    options: { type: 'string', default: '{}' },
    keep: { type: 'string' },
  },
});
const count = Number(values.samples);
const first = 1000;
const tmp = values.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-demo-quality-'));
fs.mkdirSync(tmp, { recursive: true });

const compute = openLocalCompute();
const file = path.join(tmp, 'demo.dgs');
fs.rmSync(file, { force: true });
await buildDemoProject(file, compute);
const project = Project.open(file);
const t0 = performance.now();
const { trained, report } = await trainProject(project, compute, { options: JSON.parse(values.options!) });
const trainSeconds = (performance.now() - t0) / 1000;
project.dispose();
await compute.dispose();

// The truth: the renderer's masks of seeds first … first + count − 1 (ψ = 1).
const truthDir = path.join(tmp, 'truth');
const r = spawnSync(
  '/usr/bin/python3',
  ['tools/demo/make_project.py', '--out', truthDir, '--seeds', `${first}-${first + count - 1}`],
  { encoding: 'utf8' },
);
if (r.status !== 0) throw new Error(`make_project.py failed: ${r.stderr}`);

const gen = await Generator.load(readBundleDir(path.join(assetsDir(), 'demo-model.dgsmodel')), { provider: 'cpu' });
const L = gen.manifest.resolution;
const labeler = await createLabeler(trained, gen.manifest.features, L);
const acc = new IouAccumulator(trained.config.numClasses);
for (let s = first; s < first + count; s += 8) {
  const seeds = Array.from({ length: Math.min(8, first + count - s) }, (_, i) => s + i);
  const batch = await gen.generate(seeds, 1, true);
  const labeled = await labeler.label(batch.features!);
  seeds.forEach((seed, i) => {
    const png = fs.readFileSync(path.join(truthDir, 'annotations', `seed-${seed}.png`));
    acc.add(decodeLabelPng(png, `seed-${seed}.png`).labels, labeled.labels[i]);
  });
}
await labeler.dispose();
await gen.dispose();
if (!values.keep) fs.rmSync(tmp, { recursive: true, force: true });

const named = (v: (number | null)[]) =>
  Object.fromEntries(
    report.classes.map((c) => [c.name, v[c.index] === null ? null : +(v[c.index] as number).toFixed(3)]),
  );
const m = report.metrics;
console.log(
  JSON.stringify(
    {
      bench: 'demo-quality',
      options: JSON.parse(values.options!),
      trainSeconds: +trainSeconds.toFixed(1),
      cvSeconds: +m.cvSeconds.toFixed(1),
      cv: { miou: m.miou === null ? null : +m.miou.toFixed(3), folds: m.folds, perClass: named(m.perClass) },
      truth: { miou: +(acc.mean() as number).toFixed(3), samples: count, perClass: named(acc.perClass()) },
    },
    null,
    1,
  ),
);
