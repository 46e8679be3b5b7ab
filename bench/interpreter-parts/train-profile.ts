/**
 * Where a training chunk's time goes at a given width: the training graph (all members, K steps in one
 * Loop) run on random batches with onnxruntime's profiler on; prints one JSON line with the wall time
 * of a run, the time per step, and the kernel time by operator type (summed over the Loop's steps),
 * plus the state's size (what crosses in and out of onnxruntime per run).
 *
 *   npx tsx bench/interpreter-parts/train-profile.ts [dims=6016] [members=10] [steps=8] [runs=3] [threads=0] [batch=64]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { hiddenWidths, initEnsemble } from '../../src/compute/interpreter/ensemble-params';
import { buildTrainModel } from '../../src/compute/interpreter/train/graph';
import { initialTrainState } from '../../src/compute/interpreter/train/state';
import { cpuSessionOptions } from '../../src/compute/runtime/execution-provider';

const [dims, members, steps, runs, threads, B] = [6016, 10, 8, 3, 0, 64].map((d, i) =>
  Number(process.argv[2 + i] ?? d),
);
const C = 9;
const shape = { members, inputDims: dims, hidden: hiddenWidths(C), numClasses: C };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-train-profile-'));
const session = await ort.InferenceSession.create(buildTrainModel({ numClasses: C, lr: 1e-3, patience: 50 }), {
  ...cpuSessionOptions(threads),
  enableProfiling: true,
  profileFilePrefix: path.join(dir, 'p'),
});
let state = initialTrainState(initEnsemble(shape, 0), shape);
const x = new Float32Array(steps * members * B * dims);
for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37);
const y = new BigInt64Array(steps * members * B).map((_, i) => BigInt(i % C));
const es = new Uint8Array(members);
const stateBytes = Object.values(state).reduce((a, t) => a + (t.data as Float32Array).byteLength, 0);
const walls: number[] = [];
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const out = await session.run({
    ...state,
    X: new ort.Tensor('float32', x, [steps, members, B, dims]),
    Y: new ort.Tensor('int64', y, [steps, members, B]),
    es: new ort.Tensor('bool', es, [members]),
  });
  walls.push(performance.now() - t0);
  state = Object.fromEntries(Object.keys(state).map((k) => [k, out[`${k}_out`]]));
}
session.endProfiling();
await session.release();
const file = fs.readdirSync(dir).map((f) => path.join(dir, f))[0];
const events = JSON.parse(fs.readFileSync(file, 'utf8')) as {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string };
}[];
fs.rmSync(dir, { recursive: true, force: true });
const byOp = new Map<string, number>();
let modelRun = 0;
for (const e of events) {
  if (e.cat === 'Node' && e.name.endsWith('_kernel_time'))
    byOp.set(e.args?.op_name ?? '?', (byOp.get(e.args?.op_name ?? '?') ?? 0) + e.dur);
  if (e.cat === 'Session' && e.name === 'model_run') modelRun += e.dur;
}
// The Loop node's own kernel time contains its body's: report the body's operators.
byOp.delete('Loop');
const total = [...byOp.values()].reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify({
    bench: 'train-profile',
    dims,
    batch: B,
    members,
    stepsPerRun: steps,
    runs,
    threads: threads || os.availableParallelism(),
    wallMsPerRun: walls.map((w) => +w.toFixed(1)),
    modelRunMsPerRun: +(modelRun / 1000 / runs).toFixed(1),
    msPerStep: +(walls.slice(1).reduce((a, b) => a + b, 0) / Math.max(1, runs - 1) / steps).toFixed(2),
    stateMiB: +(stateBytes / 1048576).toFixed(1),
    kernelMsPerStepByOp: Object.fromEntries(
      [...byOp.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([k, v]) => [k, +(v / 1000 / runs / steps).toFixed(2)]),
    ),
    kernelShareByOp: Object.fromEntries(
      [...byOp.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([k, v]) => [k, +(v / total).toFixed(3)]),
    ),
  }),
);
