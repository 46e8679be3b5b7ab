/**
 * bench/interpreter: our style interpreter (src/compute/interpreter) against a naive reference that does
 * what the official DatasetGAN code does (bench/interpreter/naive.ts), on the same bundle, samples and
 * labels, in the same run, on onnxruntime-node CPU. Prints one JSON object (docs/benchmarks.md
 * "Interpreter" explains every figure).
 *
 *   npx tsx bench/interpreter.ts [--size demo|256|512|all] [--repeats 1]
 *       [--bundle assets/demo-model.dgsmodel] [--labels demo|luminance] [--bundle256 /tmp/rand256]
 *       [--bundle512 /tmp/rand512] [--steps 0] [--steps64 100] [--cv-folds 4] [--cv-members 3]
 *       [--quality] [--quality-res 64] [--no-full] [--threads 0] [--no-fp16-copy] [--cache /tmp/dgs-bench-interpreter]
 *       [--heldout-options '{"heldoutMinPixels":262144}'] [--workers auto|N]
 *
 * Ours trains by the official rule next to the naive reference (the same steps: a like-for-like timing
 * and cross-validation), and by the 'heldout' rule (what `dgs train` picks on larger projects; on the demo it picks the official one). Sizes:
 *  - demo: the demo model with the demo project's 16 annotations (or any bundle with synthetic
 *    luminance labels), full rules (--steps caps them);
 *  - 256, 512: a random-weight StyleGAN2 of that resolution (tools/make_random_bundle.py), 16 samples
 *    with luminance labels. Both methods are timed at label resolution 64 (the naive matrix fits there)
 *    with capped steps; ours trains by its default rule at the full resolution; the naive's figures at
 *    the full resolution are arithmetic from its measured ones, marked "estimated" with their formula.
 *    --quality cross-validates ours by both rules, uncapped, at --quality-res.
 * --heldout-options: options of ours by its default rule that differ from the product's (JSON), e.g. the
 * heldout rule's floor before 2026-12-08 (docs/benchmarks.md, "The heldout rule's floor").
 * --workers: ours' training threads, by both rules ('auto', the product's, keeps one above 2,048 dims).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildCache } from './interpreter/dataset';
import {
  compare,
  crossValidate,
  difference,
  r3,
  ratio,
  summary,
  trainAndLabel,
  type Method,
} from './interpreter/measure';
import type { TrainSettings } from './interpreter/settings';

const { values: a } = parseArgs({
  options: {
    size: { type: 'string', default: 'all' },
    repeats: { type: 'string', default: '1' },
    bundle: { type: 'string', default: 'assets/demo-model.dgsmodel' },
    labels: { type: 'string' },
    bundle256: { type: 'string', default: '/tmp/rand256' },
    bundle512: { type: 'string', default: '/tmp/rand512' },
    steps: { type: 'string', default: '0' },
    steps64: { type: 'string', default: '100' },
    'cv-folds': { type: 'string', default: '4' },
    'cv-members': { type: 'string', default: '3' },
    quality: { type: 'boolean', default: false },
    'no-full': { type: 'boolean', default: false },
    'quality-res': { type: 'string', default: '64' },
    threads: { type: 'string', default: '0' },
    'no-fp16-copy': { type: 'boolean', default: false },
    cache: { type: 'string', default: path.join(os.tmpdir(), 'dgs-bench-interpreter') },
    'heldout-options': { type: 'string', default: '{}' },
    workers: { type: 'string', default: 'auto' },
  },
});

const repeats = Number(a.repeats);
const threads = Number(a.threads);
const fp16Copy = !a['no-fp16-copy'];
const weightsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-bench-interp-w-'));
const heldoutOptions = JSON.parse(a['heldout-options'] as string) as TrainSettings['options'];
const workers = a.workers === 'auto' ? {} : { workers: Number(a.workers) };
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const settings = (rule: TrainSettings['rule'], maxSteps: number | null, members = 10): TrainSettings => ({
  rule,
  members,
  maxSteps,
  earlyStopFromEpoch: 4,
  seed: 0,
  threads,
  fp16Copy,
  options: { ...(rule === 'heldout' ? heldoutOptions : {}), ...workers },
});
/** Ours by its default rule, ours by the official rule, and the naive reference (official). */
const methods = (maxSteps: number | null, members = 10, label = true): Method[] => [
  { name: 'ours', method: 'ours', settings: settings('heldout', maxSteps, members), label },
  { name: 'oursOfficial', method: 'ours', settings: settings('official', maxSteps, members), label: false },
  { name: 'naive', method: 'naive', settings: settings('official', maxSteps, members), label },
];

async function demoSize(): Promise<Record<string, unknown>> {
  const bundle = path.resolve(a.bundle as string);
  if (!fs.existsSync(path.join(bundle, 'manifest.json'))) {
    throw new Error(
      `No model bundle at ${bundle}; give --bundle DIR (e.g. e2e/fixtures/tiny-bundle --labels luminance).`,
    );
  }
  const labels = (a.labels ?? (path.basename(bundle) === 'demo-model.dgsmodel' ? 'demo' : 'luminance')) as
    'demo' | 'luminance';
  const dir = path.join(a.cache as string, `demo-${path.basename(bundle)}-${labels}`);
  const meta = await buildCache({ bundleDir: bundle, labels, count: 16, dir });
  const L = meta.labelResolutions[0];
  const images = range(meta.count);
  const steps = Number(a.steps) || null;
  process.stderr.write(`demo size: ${meta.bundleName}, ${meta.count} samples at ${L}², ${meta.numClasses} classes\n`);
  const m = trainAndLabel(dir, L, images, methods(steps), repeats, [0, 1, 2, 3, 4], weightsDir, threads);
  const [ours, oursOfficial, naive] = ['ours', 'oursOfficial', 'naive'].map((k) => summary(m[k]));
  const cv = crossValidate(dir, L, images, methods(steps, Number(a['cv-members'])), Number(a['cv-folds']));
  return {
    bundle: meta.bundleName,
    labels,
    samples: meta.count,
    labelResolution: L,
    featureDims: meta.shapes.reduce((x, f) => x + f.channels, 0),
    classes: meta.numClasses,
    members: 10,
    maxStepsPerMember: steps,
    repeats,
    ours,
    oursOfficial,
    naive,
    ratioNaiveOverOurs: compare(ours, naive),
    ratioNaiveOverOursOfficial: compare(oursOfficial, naive),
    crossValidation: {
      ...cv,
      oursOfficialMinusNaive: difference(cv, 'oursOfficial', 'naive'),
      oursMinusNaive: difference(cv, 'ours', 'naive'),
      oursMinusOursOfficial: difference(cv, 'ours', 'oursOfficial'),
    },
  };
}

async function largeSize(R: number, bundleArg: string): Promise<Record<string, unknown>> {
  const bundle = path.resolve(bundleArg);
  if (!fs.existsSync(path.join(bundle, 'manifest.json'))) {
    throw new Error(
      `No bundle at ${bundle}; make it with /usr/bin/python3 tools/make_random_bundle.py --resolution ${R} --out ${bundle}.`,
    );
  }
  const qualityRes = Number(a['quality-res']);
  const dir = path.join(a.cache as string, `${R}-${path.basename(bundle)}`);
  const meta = await buildCache({
    bundleDir: bundle,
    labels: 'luminance',
    count: 16,
    labelResolutions: [...new Set([64, qualityRes, R])],
    dir,
  });
  const D = meta.shapes.reduce((x, f) => x + f.channels, 0);
  const images = range(meta.count);
  const s64 = Number(a.steps64);
  process.stderr.write(
    `${R} size: ${meta.bundleName}, ${D} dims; label resolution 64 (both, ${s64} steps), then ${R} (ours, its default rule)\n`,
  );
  // Ours labels at the image resolution in the product; at 64 its factorised graph would project the
  // large maps before downsampling (docs/benchmarks.md), so only the naive labels at 64 (for the estimate).
  const capped = methods(s64, 10, false).filter((m) => m.name !== 'ours');
  capped[1].label = true;
  const at64 = trainAndLabel(dir, 64, images, capped, Math.min(repeats, 2), [0, 1, 2], weightsDir, threads);
  const ours64 = summary(at64.oursOfficial);
  const naive64 = summary(at64.naive);
  const cv64 = crossValidate(dir, 64, images, capped, 2);
  // One image, no warm-up: labeling at 512² takes seconds on 2 cores (docs/benchmarks.md, "Labeling").
  // --no-full leaves it out (it takes the longest on a loaded machine); the like-for-like figures stay.
  const oursR = a['no-full']
    ? null
    : summary(trainAndLabel(dir, R, images, methods(null).slice(0, 1), 1, [0], weightsDir, threads).ours);

  // The naive reference at R²: arithmetic from its measured figures at 64² (same samples, dims, steps).
  const PR = 16 * R * R;
  const P64 = 16 * 64 * 64;
  const bytesPerValue = fp16Copy ? 6 : 4;
  const prepareSeconds = (naive64.prepareSeconds as number) * (PR / P64);
  // Under the official rule a member takes at least 4 full epochs (+ 51 steps) before it may stop.
  const officialSteps = 4 * Math.floor(PR / 64) + 51;
  const naiveR = {
    estimated: true,
    matrixBytes: PR * D * bytesPerValue,
    peakRssMiB: Math.round((naive64.peakRssMiB as number) + ((PR - P64) * D * bytesPerValue) / 2 ** 20),
    prepareSeconds: r3(prepareSeconds),
    officialRuleHours: r3((officialSteps * (naive64.msPerMemberStep as number) * 10 + prepareSeconds * 1000) / 3.6e6),
    labelMsPerImage: Math.round((naive64.labelMsPerImage as number) * ((R * R) / (64 * 64))),
    formulas: {
      matrixBytes: `16 images · ${R}² pixels · ${D} dims · ${bytesPerValue} B (${fp16Copy ? 'fp32 matrix + the official fp16 copy' : 'fp32 matrix'})`,
      peakRssMiB: `naive peak RSS measured at 64² + (pixels at ${R}² − pixels at 64²) · dims · bytes per value`,
      prepareSeconds: `naive prepare seconds measured at 64² · (${R}²/64²): upsampling and copying are linear in pixels`,
      officialRuleHours: `(4 epochs · ⌊16·${R}²/64⌋ + 51 = ${officialSteps} steps) · 10 members · ms per member-step measured at 64² (same dims and batch: a step costs the same at any label resolution) + prepareSeconds`,
      labelMsPerImage: `naive labeling ms per image measured at 64² · (${R}²/64²): every pixel runs through every member`,
    },
  };
  const out: Record<string, unknown> = {
    bundle: meta.bundleName,
    samples: meta.count,
    featureDims: D,
    classes: meta.numClasses,
    members: 10,
    labelResolution64: {
      note: `labels box-averaged to 64² so that the naive matrix fits; both by the official rule, capped at ${s64} steps per member`,
      maxStepsPerMember: s64,
      oursOfficial: ours64,
      naive: naive64,
      ratioNaiveOverOursOfficial: compare(ours64, naive64),
      crossValidation: { ...cv64, oursOfficialMinusNaive: difference(cv64, 'oursOfficial', 'naive') },
    },
    [`labelResolution${R}`]: {
      note: `ours by its default rule (no cap); the naive matrix would not fit, its figures are estimated`,
      ours: oursR,
      naive: naiveR,
      ratioNaiveOverOurs: oursR && {
        estimated: true,
        peakRss: ratio(naiveR.peakRssMiB, oursR.peakRssMiB as number),
        trainTime: ratio(naiveR.officialRuleHours * 3600, oursR.trainSeconds as number),
        labelMs: ratio(naiveR.labelMsPerImage, oursR.labelMsPerImage as number),
      },
    },
  };
  if (a.quality) {
    // The rules' quality side by side, uncapped: 4 folds × 3 members each.
    const both = methods(null, 3).filter((m) => m.method === 'ours');
    const cv = crossValidate(dir, qualityRes, images, both, 4);
    out[`quality${qualityRes}`] = { ...cv, oursMinusOursOfficial: difference(cv, 'ours', 'oursOfficial') };
  }
  return out;
}

const t0 = performance.now();
const result: Record<string, unknown> = {
  bench: 'interpreter',
  machine: { cpus: os.cpus().length, loadAverage1m: os.loadavg()[0] },
  fp16Copy,
  threads,
};
const sizes = a.size === 'all' ? ['demo', '256', '512'] : (a.size as string).split(',');
if (sizes.includes('demo')) result.demo = await demoSize();
if (sizes.includes('256')) result.size256 = await largeSize(256, a.bundle256 as string);
if (sizes.includes('512')) result.size512 = await largeSize(512, a.bundle512 as string);
result.wallSeconds = Math.round((performance.now() - t0) / 1000);
result.loadAverageAtEnd = os.loadavg()[0];
fs.rmSync(weightsDir, { recursive: true, force: true });
// Arrays of numbers on one line each, so the JSON stays readable.
console.log(
  JSON.stringify(result, null, 1).replace(
    /\[\s+([-\d.,\snul]+?)\s+\]/g,
    (_, x: string) => `[${x.replace(/\s+/g, ' ')}]`,
  ),
);
