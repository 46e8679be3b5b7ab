/**
 * bench/early-vote: the early-decided vote (src/compute/interpreter/label/early-vote.ts) against the
 * whole ensemble's streamed labeler on the same generated samples: are the labels the same bytes, how
 * many pixels stay open, the time per image of each, and whether its uncertainty scores filter the same
 * samples (issue 18: the filtered sets equal on ≥ 95 % of the filtered samples and Spearman's ρ of the
 * scores ≥ 0.99).
 *
 *   npx tsx bench/early-vote.ts --project dgs-demo/demo.dgs [--count 222] [--psi 0.7] [--filter 0.1]
 *   npx tsx bench/early-vote.ts --bundle tmp/bundles/rand512 --count 100 [--agree 7]
 *
 * Without --project the ensemble is random (10 members, 10 classes); its members disagree, so few
 * pixels are decided early. `--agree n` makes members 1 … n − 1 near copies of member 0, so that most
 * pixels are decided after the first pass, as with a trained ensemble (the demo's: 92 %); the random
 * weights are small, so their logits are close and even near copies split some votes.
 *
 * With --project: the project's model and the interpreter in use, seeds 0 … count − 1 (as `dgs demo`
 * generates its dataset). Prints one JSON object.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { readBundleDir } from '../src/node/bundle/bundle';
import { resolveModelArg } from '../src/node/bundle/assets';
import { Generator } from '../src/compute/generator/generator';
import { deserializeEnsemble, hiddenWidths, initEnsemble } from '../src/compute/interpreter/ensemble-params';
import { ensembleShapeOf, openLabeler } from '../src/compute/interpreter/label/labeler';
import { Project } from '../src/engine/project';
import { interpreterInUse } from '../src/engine/project/interpreter-choice';
import { projectModel } from '../src/engine/project/model';
import type { FeatureMaps } from '../src/shared/interpreter-types';
import { median } from './matmul-peak';

const { values } = parseArgs({
  options: {
    project: { type: 'string' },
    bundle: { type: 'string', default: 'default' },
    count: { type: 'string', default: '222' },
    psi: { type: 'string', default: '0.7' },
    filter: { type: 'string', default: '0.1' },
    batch: { type: 'string', default: '4' },
    agree: { type: 'string', default: '0' },
  },
});

function ranks(x: number[]): number[] {
  const order = x.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(x.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

function spearman(a: number[], b: number[]): number {
  const [ra, rb] = [ranks(a), ranks(b)];
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(ra), mean(rb)];
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/** Indices of the `k` highest scores (the samples a filter of the most uncertain drops). */
function mostUncertain(scores: number[], k: number): Set<number> {
  return new Set(
    scores
      .map((s, i) => [s, i])
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, k)
      .map(([, i]) => i),
  );
}

let bundleDir = resolveModelArg(values.bundle!);
let source: { params: ReturnType<typeof initEnsemble>; shape: ReturnType<typeof ensembleShapeOf>; bnEps: number };
if (values.project) {
  const project = Project.open(values.project);
  try {
    const { ref } = projectModel(project, 'cpu');
    const trained = interpreterInUse(project, ref.sha256)!.trained();
    const shape = ensembleShapeOf(trained);
    source = { params: deserializeEnsemble(trained.weights, shape), shape, bnEps: trained.config.bnEps };
    bundleDir = resolveModelArg('default');
  } finally {
    project.dispose();
  }
} else source = { params: null!, shape: null!, bnEps: 1e-5 };
const bundle = readBundleDir(bundleDir);
const m = bundle.manifest;
if (!values.project) {
  const classes = 10;
  const shape = {
    members: 10,
    inputDims: m.features.reduce((a, f) => a + f.channels, 0),
    hidden: hiddenWidths(classes),
    numClasses: classes,
  };
  const params = initEnsemble(shape, 1);
  for (const t of Object.values(params) as Float32Array[]) {
    const per = t.length / shape.members;
    for (let k = 1; k < Number(values.agree); k++)
      for (let i = 0; i < per; i++) t[k * per + i] = t[i] * (1 + 0.002 * Math.sin(7 * i + k));
  }
  source = { params, shape, bnEps: 1e-5 };
}
const open = (earlyVote: boolean) =>
  openLabeler(source.params, source.shape, source.bnEps, m.features, m.resolution, ['cpu'], 0, {
    path: 'streamed',
    earlyVote,
  });
const [full, early] = [await open(false), await open(true)];
const gen = await Generator.load(bundle, { provider: 'cpu' });
const count = Number(values.count);
const batch = Number(values.batch);
const scores = { full: [] as number[], early: [] as number[] };
const ms = { full: [] as number[], early: [] as number[] };
let sameLabels = 0;
for (let s0 = 0; s0 < count; s0 += batch) {
  const seeds = Array.from({ length: Math.min(batch, count - s0) }, (_, i) => s0 + i);
  const out = await gen.generate(seeds, Number(values.psi), true);
  for (const maps of out.features! as FeatureMaps[]) {
    const t0 = performance.now();
    const a = await full.label([maps]);
    const t1 = performance.now();
    const b = await early.label([maps]);
    ms.full.push(t1 - t0);
    ms.early.push(performance.now() - t1);
    if (Buffer.compare(Buffer.from(a.labels[0]), Buffer.from(b.labels[0])) === 0) sameLabels++;
    scores.full.push(a.score[0]);
    scores.early.push(b.score[0]);
  }
}
const k = Math.round(Number(values.filter) * count);
const [fa, fb] = [mostUncertain(scores.full, k), mostUncertain(scores.early, k)];
const counts = early.earlyCounts!;
console.log(
  JSON.stringify({
    bench: 'early-vote',
    resolution: m.resolution,
    interpreter: values.project ? 'the project’s' : 'random, 10 members',
    members: source.shape.members,
    samples: count,
    labelsIdentical: sameLabels,
    openShareOfFirstPass: +(counts.open / Math.max(1, counts.firstPass)).toFixed(4),
    firstPassShareOfPixels: +(counts.firstPass / (count * m.resolution * m.resolution)).toFixed(4),
    msPerImage: { full: +median(ms.full).toFixed(1), early: +median(ms.early).toFixed(1) },
    earlyOverFull: +(median(ms.early) / median(ms.full)).toFixed(3),
    stageMs: { full: full.stageMs, early: early.stageMs },
    filtered: k,
    filteredSetsAgree: [...fa].filter((i) => fb.has(i)).length,
    filteredAgreeShare: +([...fa].filter((i) => fb.has(i)).length / Math.max(1, k)).toFixed(4),
    spearmanRho: +spearman(scores.full, scores.early).toFixed(5),
    maxScoreDiff: Math.max(...scores.full.map((s, i) => Math.abs(s - scores.early[i]))),
    loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
  }),
);
await Promise.all([full.dispose(), early.dispose(), gen.dispose()]);
