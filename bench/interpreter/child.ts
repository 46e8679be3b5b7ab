/**
 * One measured job of bench/interpreter.ts, run in its own process so that its peak RSS
 * (process.resourceUsage().maxRSS) is its own: train ours or the naive reference on cached samples and
 * save the weights, label images with saved weights, or cross-validate. Prints one JSON line.
 *
 *   node --import tsx bench/interpreter/child.ts '<job json>'
 */
import fs from 'node:fs';
import type { FeatureMaps, TrainedInterpreter } from '../../src/shared/interpreter-types';
import { createLabeler, openTrainingRun, trainInterpreter } from '../../src/compute/interpreter';
import { IouAccumulator } from '../../src/compute/interpreter/metrics';
import { median } from '../matmul-peak';
import { cachedSource, loadCached, readMeta } from './dataset';
import type { MemberWeights } from './naive-graphs';
import { NAIVE_RUNNING, NAIVE_TRAINABLE } from './naive-graphs';
import type { NaiveTrainResult } from './naive';
import { naiveOptions, oursCvOptions, oursTrainOptions, type TrainSettings } from './settings';
import { NaiveLabeler, cleanupLabels, materialiseFeatures, trainNaive } from './naive';

export type Job =
  | {
      task: 'train';
      method: 'ours' | 'naive';
      cache: string;
      L: number;
      images: number[];
      settings: TrainSettings;
      save: string;
    }
  | {
      task: 'label';
      method: 'ours' | 'naive';
      cache: string;
      L: number;
      images: number[];
      weights: string;
      threads: number;
    }
  | {
      task: 'cv';
      method: 'ours' | 'naive';
      cache: string;
      L: number;
      images: number[];
      folds: number;
      settings: TrainSettings;
    };

const mib = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function trainOurs(cache: string, L: number, images: number[], s: TrainSettings) {
  const meta = readMeta(cache);
  const src = cachedSource(cache, meta, images, L);
  const t0 = performance.now();
  const trained = await trainInterpreter({
    samples: src,
    labelResolution: L,
    numClasses: meta.numClasses,
    options: oursTrainOptions(s, L),
  });
  const seconds = (performance.now() - t0) / 1000 - src.loadSeconds;
  return { trained, seconds, loadSeconds: src.loadSeconds, steps: trained.config.stepsPerMember };
}

async function trainNaiveJob(cache: string, L: number, images: number[], s: TrainSettings) {
  const meta = readMeta(cache);
  const src = cachedSource(cache, meta, images, L);
  const o = naiveOptions(s);
  const t0 = performance.now();
  let mat: Awaited<ReturnType<typeof materialiseFeatures>> | null = await materialiseFeatures(src, meta.shapes, L, o);
  const prepareSeconds = (performance.now() - t0) / 1000 - src.loadSeconds;
  const matrixBytes = mat.x.byteLength + (mat.half?.byteLength ?? 0);
  const r = await trainNaive(mat, meta.numClasses, o);
  mat = null;
  return {
    r,
    seconds: prepareSeconds + r.trainSeconds,
    prepareSeconds,
    loadSeconds: src.loadSeconds,
    matrixBytes,
    steps: r.steps,
  };
}

function saveNaive(file: string, r: NaiveTrainResult): void {
  const names = [...NAIVE_TRAINABLE, ...NAIVE_RUNNING];
  const sizes = names.map((n) => r.members[0][n].length);
  const per = sizes.reduce((a, b) => a + b, 0);
  const data = new Float32Array(per * r.members.length);
  let off = 0;
  for (const w of r.members)
    for (const n of names) {
      data.set(w[n], off);
      off += w[n].length;
    }
  fs.writeFileSync(`${file}.json`, JSON.stringify({ hidden: r.hidden, members: r.members.length, names, sizes }));
  fs.writeFileSync(`${file}.bin`, new Uint8Array(data.buffer));
}

function loadNaive(file: string): NaiveTrainResult {
  const h = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as {
    hidden: [number, number];
    members: number;
    names: (keyof MemberWeights)[];
    sizes: number[];
  };
  const buf = fs.readFileSync(`${file}.bin`);
  const data = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const members: MemberWeights[] = [];
  let off = 0;
  for (let m = 0; m < h.members; m++) {
    const w = {} as MemberWeights;
    h.names.forEach((n, i) => {
      w[n] = data.slice(off, off + h.sizes[i]);
      off += h.sizes[i];
    });
    members.push(w);
  }
  return { members, hidden: h.hidden, steps: [], trainSeconds: 0 };
}

/** Labels each image once; the first is a warm-up and not timed (when there are more than one). */
async function labelTimes(
  images: number[],
  load: (i: number) => FeatureMaps,
  label: (f: FeatureMaps) => Promise<unknown>,
): Promise<number[]> {
  const ms: number[] = [];
  for (const [k, img] of images.entries()) {
    const f = load(img);
    const t0 = performance.now();
    await label(f);
    if (k > 0 || images.length === 1) ms.push(performance.now() - t0);
  }
  return ms;
}

async function run(job: Job): Promise<Record<string, unknown>> {
  const meta = readMeta(job.cache);
  if (job.task === 'train') {
    if (job.method === 'ours') {
      const r = await trainOurs(job.cache, job.L, job.images, job.settings);
      fs.writeFileSync(`${job.save}.json`, JSON.stringify({ config: r.trained.config, metrics: r.trained.metrics }));
      fs.writeFileSync(`${job.save}.bin`, r.trained.weights);
      const m = r.trained.metrics;
      return {
        trainSeconds: r.seconds,
        loadSeconds: r.loadSeconds,
        // The store's loading (minus reading the cache's files) and the ensemble's training, as the trainer timed them.
        prepareSeconds: (m.loadSeconds ?? 0) - r.loadSeconds,
        stepSeconds: m.ensembleSeconds,
        stepsPerMember: r.steps,
        peakRssMiB: mib(),
      };
    }
    const r = await trainNaiveJob(job.cache, job.L, job.images, job.settings);
    const peak = mib();
    saveNaive(job.save, r.r);
    return {
      trainSeconds: r.seconds,
      prepareSeconds: r.prepareSeconds,
      stepSeconds: r.r.trainSeconds,
      loadSeconds: r.loadSeconds,
      matrixBytes: r.matrixBytes,
      stepsPerMember: r.steps,
      peakRssMiB: peak,
    };
  }
  // Features are read before each timed call; the timer covers labeling only (upsampling included for the naive).
  const feats = (i: number) => loadCached(job.cache, meta, i, job.L).features;
  if (job.task === 'label') {
    let ms: number[];
    if (job.method === 'ours') {
      const cfg = JSON.parse(fs.readFileSync(`${job.weights}.json`, 'utf8')) as Pick<
        TrainedInterpreter,
        'config' | 'metrics'
      >;
      const trained: TrainedInterpreter = { ...cfg, weights: new Uint8Array(fs.readFileSync(`${job.weights}.bin`)) };
      const labeler = await createLabeler(trained, meta.shapes, job.L, ['cpu'], job.threads);
      ms = await labelTimes(job.images, feats, (f) => labeler.label([f]));
      await labeler.dispose();
    } else {
      const labeler = await NaiveLabeler.open(loadNaive(job.weights), meta.shapes, job.L, meta.numClasses, job.threads);
      ms = await labelTimes(job.images, feats, (f) => labeler.label(f));
      await labeler.release();
    }
    return { labelMs: median(ms), labelMsAll: ms.map((v) => Math.round(v)), peakRssMiB: mib() };
  }
  // Cross-validation: fold f holds out images[i] with i % folds === f (the same for both methods).
  const t0 = performance.now();
  if (job.method === 'ours') {
    // The product's own CV (held-out pixels labeled from the store), every fold trained by the naive
    // reference's settings (settings.ts); no final ensemble.
    const run = await openTrainingRun({
      samples: cachedSource(job.cache, meta, job.images, job.L),
      labelResolution: job.L,
      numClasses: meta.numClasses,
      options: oursCvOptions(job.settings, job.L, job.folds),
    });
    try {
      const cvSteps: number[] = [];
      const report = await run.crossValidate({
        onProgress: (e) => {
          if (e.phase === 'cv') cvSteps[e.fold] = e.step;
        },
      });
      return {
        longestStepsPerStack: cvSteps.filter((x) => x !== undefined),
        miou: report.miou,
        perClass: report.perClass,
        pixelAccuracy: report.pixelAccuracy,
        folds: job.folds,
        cvSeconds: report.cvSeconds,
        peakRssMiB: mib(),
      };
    } finally {
      await run.dispose();
    }
  }
  const acc = new IouAccumulator(meta.numClasses);
  for (let f = 0; f < job.folds; f++) {
    const train = job.images.filter((_, i) => i % job.folds !== f);
    const held = job.images.filter((_, i) => i % job.folds === f);
    const truth = (i: number) => cleanupLabels(loadCached(job.cache, meta, i, job.L).labels, 30);
    const r = await trainNaiveJob(job.cache, job.L, train, job.settings);
    const labeler = await NaiveLabeler.open(r.r, meta.shapes, job.L, meta.numClasses, job.settings.threads);
    for (const i of held) acc.add(truth(i), (await labeler.label(feats(i))).labels);
    await labeler.release();
  }
  return {
    miou: acc.mean(),
    perClass: acc.perClass(),
    pixelAccuracy: acc.accuracy(),
    folds: job.folds,
    cvSeconds: (performance.now() - t0) / 1000,
    peakRssMiB: mib(),
  };
}

const job = JSON.parse(process.argv[2]) as Job;
const result = await run(job);
console.log(JSON.stringify({ task: job.task, method: job.method, L: job.L, ...result }));
