/**
 * Checks that the naive reference computes the same numbers as ours (so the benchmark compares two
 * ways of doing the same work): upsampled features against the training store's gather, several
 * optimiser steps of the naive step graph against our training graph (K steps, one member), and the
 * naive labeler's mean probabilities against our factorised labeler's. Prints JSON; exits 1 on a miss.
 *
 *   npx tsx bench/interpreter/check-naive.ts
 */
import * as ort from 'onnxruntime-node';
import { SeededRng } from '../../src/shared/rng';
import type { FeatureMaps, FeatureShape } from '../../src/shared/interpreter-types';
import { initEnsemble, TRAINABLE } from '../../src/compute/interpreter/ensemble-params';
import { PixelFeatureStore } from '../../src/compute/interpreter/train/pixel-features';
import { buildTrainModel } from '../../src/compute/interpreter/train/graph';
import { initialTrainState, trainedParams } from '../../src/compute/interpreter/train/state';
import { openLabeler } from '../../src/compute/interpreter/label/labeler';
import { NaiveLabeler, Upsampler, trainNaive } from './naive';

const shapes: FeatureShape[] = [
  { name: 'a', channels: 6, resolution: 4 },
  { name: 'b', channels: 5, resolution: 8 },
  { name: 'c', channels: 3, resolution: 16 },
];
const L = 16,
  C = 3,
  B = 8;
const D = shapes.reduce((a, s) => a + s.channels, 0);

function maps(seed: number): FeatureMaps {
  const rng = new SeededRng(seed);
  return shapes.map((s) => ({
    ...s,
    data: Float32Array.from({ length: s.channels * s.resolution ** 2 }, () => rng.nextNormal()),
  }));
}
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

const report: Record<string, number> = {};
const m0 = maps(1);

// 1. Upsampling: the naive [L², D] matrix against the store's per-pixel gather (float32 store).
const up = await Upsampler.open(shapes, L, 1);
const x = await up.run(m0);
await up.release();
const store = new PixelFeatureStore(shapes, L, { precision: 'float32' });
await store.addImage(m0);
const g = new Float32Array(L * L * D);
for (let p = 0; p < L * L; p++) store.gather(0, p, g, p * D);
report.upsampleMaxDiff = maxDiff(x, g);

// 2. Training: K steps on the same batches, the naive step graph vs our Loop graph (one member).
const labels = Uint8Array.from({ length: L * L }, (_, p) => (p * 7) % C);
const STEPS = 5;
const mat = { x, half: null, y: labels, pixels: L * L, dims: D };
// The naive trainer shuffles with its own stream; feed ours the same batches by replaying its permutation.
const nv = await trainNaive(mat, C, {
  members: 1,
  batchSize: B,
  maxEpochs: 1,
  earlyStopFromEpoch: 99,
  patience: 50,
  maxSteps: STEPS,
  seed: 3,
  lr: 1e-3,
  minClassPixels: 0,
  fp16Copy: false,
  threads: 1,
});
const perm = new Uint32Array(L * L).map((_, i) => i);
const rng = new SeededRng((3 * 7919 + 0 * 104729 + 1) >>> 0);
for (let i = perm.length - 1; i > 0; i--) {
  const j = Math.floor(rng.nextDouble() * (i + 1));
  const s = perm[i];
  perm[i] = perm[j];
  perm[j] = s;
}
const X = new Float32Array(STEPS * B * D);
const Y = new BigInt64Array(STEPS * B);
for (let k = 0; k < STEPS * B; k++) {
  X.set(x.subarray(perm[k] * D, perm[k] * D + D), k * D);
  Y[k] = BigInt(labels[perm[k]]);
}
const shape = { members: 1, inputDims: D, hidden: [128, 32] as [number, number], numClasses: C };
const init = initEnsemble(shape, 3);
const sess = await ort.InferenceSession.create(buildTrainModel({ numClasses: C, lr: 1e-3, patience: 50 }));
const feeds: Record<string, ort.Tensor> = {
  X: new ort.Tensor('float32', X, [STEPS, 1, B, D]),
  Y: new ort.Tensor('int64', Y, [STEPS, 1, B]),
  es: new ort.Tensor('bool', Uint8Array.of(0), [1]),
};
Object.assign(feeds, initialTrainState(init, shape));
const out = await sess.run(feeds);
await sess.release();
let trainDiff = 0;
const trained = trainedParams(out, shape);
for (const p of [...TRAINABLE, 'rm1', 'rv1', 'rm2', 'rv2'] as const)
  trainDiff = Math.max(trainDiff, maxDiff(nv.members[0][p], trained[p]));
report.trainParamMaxDiff = trainDiff;
report.naiveSteps = nv.steps[0];

// 3. Labeling: naive vs ours (factorised graph) on a three-member ensemble. The vote's tie rule differs
// on purpose (official: smallest id; ours: highest mean probability), so tied pixels are not compared.
const N3 = 3;
const nv2 = await trainNaive(mat, C, {
  members: N3,
  batchSize: B,
  maxEpochs: 2,
  earlyStopFromEpoch: 99,
  patience: 50,
  maxSteps: 40,
  seed: 5,
  lr: 1e-2,
  minClassPixels: 0,
  fp16Copy: false,
  threads: 1,
});
const stacked = {} as Record<string, Float32Array>;
for (const n of [...TRAINABLE, 'rm1', 'rv1', 'rm2', 'rv2'] as const) {
  const per = nv2.members[0][n].length;
  stacked[n] = new Float32Array(per * N3);
  nv2.members.forEach((w, i) => stacked[n].set(w[n], i * per));
}
const ours = await openLabeler(stacked as never, { ...shape, members: N3 }, 1e-5, shapes, L, ['cpu'], 1, true);
const naive = await NaiveLabeler.open(nv2, shapes, L, C, 1);
const m1 = maps(2);
const a = await ours.label([m1]);
const b = await naive.label(m1);
const probs = (await ours.probs([m1]))[0]; // [N, C, P]
let disagree = 0,
  tied = 0;
for (let p = 0; p < L * L; p++) {
  const votes = new Array<number>(C).fill(0);
  for (let m = 0; m < N3; m++) {
    let arg = 0;
    for (let c = 1; c < C; c++) if (probs[(m * C + c) * L * L + p] > probs[(m * C + arg) * L * L + p]) arg = c;
    votes[arg]++;
  }
  const top = Math.max(...votes);
  if (votes.filter((v) => v === top).length > 1) {
    tied++;
    continue;
  }
  if (a.labels[0][p] !== b.labels[p]) disagree++;
}
report.labelDisagreePixels = disagree;
report.tiedPixelsSkipped = tied;
report.uncertaintyMaxDiff = maxDiff(a.uncertainty[0], b.uncertainty);
await ours.dispose();
await naive.release();

const ok =
  report.upsampleMaxDiff < 1e-5 &&
  report.trainParamMaxDiff < 1e-4 &&
  report.naiveSteps === STEPS &&
  report.uncertaintyMaxDiff < 1e-4 &&
  disagree <= 2;
console.log(JSON.stringify({ check: 'naive-reference', ok, ...report }));
if (!ok) process.exit(1);
