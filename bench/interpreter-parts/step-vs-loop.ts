/**
 * The two ways a training chunk runs (train-sessions.ts), on the same state and batches: 'loop' (all
 * steps in one run of the Loop model) and 'step' (one run per step, w1's update in WebAssembly). Prints
 * one JSON line: ms per step of each (median over the chunks, the two ways alternated), their ratio,
 * and how far the two ways' weights and losses drift apart.
 *
 *   npx tsx bench/interpreter-parts/step-vs-loop.ts [dims=6016] [members=10] [steps=16] [chunks=6] [threads=0] [classes=9]
 */
import os from 'node:os';
import { hiddenWidths, initEnsemble } from '../../src/compute/interpreter/ensemble-params';
import { initialTrainState } from '../../src/compute/interpreter/train/state';
import { openTrainSession, type ChunkWay } from '../../src/compute/interpreter/train/train-sessions';
import { median } from '../matmul-peak';

const [dims, members, steps, chunks, threads, C] = [6016, 10, 16, 6, 0, 9].map((d, i) =>
  Number(process.argv[2 + i] ?? d),
);
const B = 64;
const shape = { members, inputDims: dims, hidden: hiddenWidths(C), numClasses: C };
const at = { executionProviders: ['cpu'], threads };
const spec = { numClasses: C, lr: 1e-3, patience: 50 };
const ways: ChunkWay[] = ['loop', 'step'];
const sessions = await Promise.all(ways.map((w) => openTrainSession(spec, at, w)));
const states = ways.map(() => initialTrainState(initEnsemble(shape, 0), shape));
const x = new Float32Array(steps * members * B * dims);
const y = new BigInt64Array(steps * members * B);
const ms: number[][] = [[], []];
let lossDiff = 0;
for (let c = 0; c < chunks; c++) {
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37 + c);
  for (let i = 0; i < y.length; i++) y[i] = BigInt((i * 7 + c) % C);
  const chunk = { x, y, es: new Uint8Array(members).fill(1), steps, members, batch: B, dims };
  const losses: Float32Array[] = [];
  for (const i of c % 2 ? [1, 0] : [0, 1]) {
    const t0 = performance.now();
    const r = await sessions[i].train(states[i], chunk);
    ms[i].push((performance.now() - t0) / steps);
    states[i] = r.state;
    losses[i] = r.losses;
  }
  // Members stop under the official rule on these batches too: their losses are NaN in both ways.
  for (let j = 0; j < losses[0].length; j++)
    if (Number.isNaN(losses[0][j]) !== Number.isNaN(losses[1][j])) lossDiff = Number.POSITIVE_INFINITY;
    else if (!Number.isNaN(losses[0][j])) lossDiff = Math.max(lossDiff, Math.abs(losses[0][j] - losses[1][j]));
}
const w = states.map((s) => s.w1.data as Float32Array);
let weightDiff = 0;
for (let j = 0; j < w[0].length; j++) weightDiff = Math.max(weightDiff, Math.abs(w[0][j] - w[1][j]));
for (const s of sessions) await s.dispose();
// The first chunk of each way warms its session up.
const [loopMs, stepMs] = ms.map((m) => median(m.slice(1)));
console.log(
  JSON.stringify({
    bench: 'step-vs-loop',
    dims,
    members,
    stepsPerChunk: steps,
    chunks,
    threads: threads || os.availableParallelism(),
    msPerStep: { loop: +loopMs.toFixed(2), step: +stepMs.toFixed(2) },
    loopOverStep: +(loopMs / stepMs).toFixed(2),
    maxWeightDifference: weightDiff,
    maxLossDifference: lossDiff,
    loadAverage: os.loadavg()[0],
  }),
);
