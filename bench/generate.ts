/**
 * bench/generate: generation with labels against the bare generator, at 64², 512² and 1024².
 *
 * For each size, in one run:
 *  - bare: the generator alone (seed → image), samples/s;
 *  - labeled: generator + labeler in this process (images, labels, uncertainty, score; no files), samples/s,
 *    on the labeling path the rule picks (interpreter/label/labeling-path.ts) or `--path` forces;
 *    labeledOverBare is labeled ÷ bare (1 = labels for free);
 *  - pipeline: `dgs generate` with PNG, COCO, VOC and YOLO files at two N, each in its own process under
 *    /usr/bin/time: wall seconds, samples/s, peak RSS (memory must not grow with N).
 * The 64² size is the demo project, trained as `dgs demo` trains it. The 512² and 1024² sizes are
 * random-weight StyleGAN2 bundles (tools/make_random_bundle.py, not committed) with a random-weight
 * 10-member interpreter of 10 classes: labeling costs the same whatever the weights.
 *
 *   npx tsx bench/generate.ts [--sizes 64,512,1024] [--n64 100,400] [--n512 4,8] [--n1024 2,4]
 *       [--samples64 64] [--samples512 4] [--samples1024 2] [--batch 8]
 *       [--bundle512 tmp/bundles/rand512] [--bundle1024 tmp/bundles/rand1024] [--path auto|streamed|one-graph]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalCompute } from '../src/compute';
import { DEFAULT_TRAIN_OPTIONS } from '../src/compute/interpreter';
import { hiddenWidths, initEnsemble, serializeEnsemble } from '../src/compute/interpreter/ensemble-params';
import { createProject } from '../src/engine/jobs/create-project';
import { buildDemoProject } from '../src/engine/jobs/demo';
import { trainProject } from '../src/engine/jobs/train-project';
import { Project } from '../src/engine/project';
import { projectModel } from '../src/engine/project/model';
import { interpreterInUse } from '../src/engine/project/interpreter-choice';
import type { Compute } from '../src/shared/compute-api';
import { classSpecsFromNames } from '../src/shared/presets';
import { median } from './matmul-peak';
import type { LabelingPathChoice } from '../src/compute/interpreter/label/labeling-path';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,512,1024' },
    n64: { type: 'string', default: '100,400' },
    n512: { type: 'string', default: '4,8' },
    n1024: { type: 'string', default: '2,4' },
    samples64: { type: 'string', default: '64' },
    samples512: { type: 'string', default: '4' },
    samples1024: { type: 'string', default: '2' },
    batch: { type: 'string', default: '8' },
    repeats: { type: 'string', default: '3' },
    bundle512: { type: 'string', default: 'tmp/bundles/rand512' },
    bundle1024: { type: 'string', default: 'tmp/bundles/rand1024' },
    path: { type: 'string', default: 'auto' },
  },
});
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-bench-gen-'));
const batch = Number(values.batch);
const opt = (key: string) => (values as Record<string, string>)[key];

/** A project on a random-weight bundle, with a random-weight interpreter (10 members, 10 classes). */
async function randomProject(compute: Compute, file: string, bundleDir: string): Promise<void> {
  const classes = classSpecsFromNames(['background', ...Array.from({ length: 9 }, (_, i) => `part${i + 1}`)]);
  await createProject(compute, { file, classes, model: bundleDir });
  const project = Project.open(file);
  const m = projectModel(project).manifest;
  const shape = {
    members: 10,
    inputDims: m.features.reduce((a, f) => a + f.channels, 0),
    hidden: hiddenWidths(10),
    numClasses: 10,
  };
  project.saveInterpreter({
    config: {
      format: 'dgs-interpreter',
      version: 1,
      members: 10,
      numClasses: 10,
      labelResolution: m.resolution,
      features: m.features.map((f) => ({ name: f.name, channels: f.channels, resolution: f.resolution })),
      hidden: shape.hidden,
      bnEps: 1e-5,
      options: DEFAULT_TRAIN_OPTIONS,
      stepsPerMember: new Array(10).fill(0),
      stoppedEpoch: new Array(10).fill(0),
    },
    weights: serializeEnsemble(initEnsemble(shape, 1), shape),
    metrics: {
      miou: null,
      perClass: new Array(10).fill(null),
      folds: 0,
      wallSeconds: 0,
      cvSeconds: 0,
      provider: 'cpu',
      classPixels: new Array(10).fill(0),
    },
    provider: 'cpu',
    wallSeconds: 0,
  });
  project.dispose();
}

for (const size of values.sizes!.split(',').map(Number)) {
  const file = path.join(tmp, `p${size}.dgs`);
  const compute = openLocalCompute({ labelingPath: values.path as LabelingPathChoice });
  if (size === 64) {
    await buildDemoProject(file, compute);
  } else {
    const dir = path.resolve(opt(`bundle${size}`));
    if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
      console.error(
        `No bundle at ${dir}: make it with /usr/bin/python3 tools/make_random_bundle.py --resolution ${size} --out ${dir}`,
      );
      process.exit(1);
    }
    await randomProject(compute, file, dir);
  }
  const project = Project.open(file);
  const { ref: model, manifest: m } = projectModel(project);
  const provider = await compute.model(model);
  if (!interpreterInUse(project, model.sha256)) await trainProject(project, compute);
  const trained = interpreterInUse(project, model.sha256)!;
  const samples = Number(opt(`samples${size}`));
  const step = Math.min(batch, samples);

  async function rate(fn: (seeds: number[]) => Promise<unknown>): Promise<number> {
    await fn(Array.from({ length: step }, (_, i) => 100000 + i)); // warm-up
    const rates: number[] = [];
    for (let r = 0; r < Number(values.repeats); r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < samples; i += step)
        await fn(Array.from({ length: Math.min(step, samples - i) }, (_, k) => i + k));
      rates.push(samples / (Number(process.hrtime.bigint() - t0) / 1e9));
    }
    return median(rates);
  }
  // Back to back in this process, same seeds and batch size.
  const bare = await rate((seeds) => compute.sample(model, { seeds, psi: m.defaultPsi, images: true }));
  const labeled = await rate((seeds) =>
    compute.label(model, trained.ref, {
      input: { seeds, psi: m.defaultPsi },
      want: { labels: true, uncertainty: true, images: true },
    }),
  );
  await compute.dispose();
  project.dispose();

  const pipeline = opt(`n${size}`)
    .split(',')
    .map(Number)
    .map((n) => {
      const out = path.join(tmp, `ds-${size}-${n}`);
      const r = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          '%M %e',
          process.execPath,
          path.resolve('bin/dgs.js'),
          'generate',
          file,
          '--count',
          String(n),
          '--out',
          out,
          '--format',
          'coco,voc,yolo',
          '--batch',
          String(batch),
        ],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`dgs generate failed: ${r.stderr}`);
      const [kb, secs] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
      const generated = fs.readFileSync(path.join(out, 'manifest.jsonl'), 'utf8').trim().split('\n').length;
      fs.rmSync(out, { recursive: true, force: true });
      return {
        keep: n,
        generated,
        wallSeconds: secs,
        samplesPerSecond: +(generated / secs).toFixed(3),
        peakRssMiB: +(kb / 1024).toFixed(1),
      };
    });
  const last = pipeline.at(-1)!;
  console.log(
    JSON.stringify({
      bench: 'generate',
      model: m.name,
      resolution: m.resolution,
      provider: provider.name,
      cpus: os.availableParallelism(),
      batch,
      samplesTimed: samples,
      bareSamplesPerSecond: +bare.toFixed(3),
      labeledSamplesPerSecond: +labeled.toFixed(3),
      labelingCostRatio: +(bare / labeled).toFixed(3),
      labeledOverBare: +(labeled / bare).toFixed(3),
      labelingPath: values.path,
      pipeline,
      pipelineOverBare: +(last.samplesPerSecond / bare).toFixed(3),
      rssGrowthMiB: +(last.peakRssMiB - pipeline[0].peakRssMiB).toFixed(1),
      loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
    }),
  );
}
fs.rmSync(tmp, { recursive: true, force: true });
