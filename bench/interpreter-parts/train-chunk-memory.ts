/**
 * What a worker's training session costs in memory and time: the Loop model with and without
 * onnxruntime's memory pattern, or the 'step' way of train-sessions.ts (the CPU's; no pattern), on one
 * worker's members, K steps per chunk, one thread (as in a 10-member run on two cores), on random batches, in the compute process's settings (run it with them, below).
 * Prints one JSON line: ms per run, the process's high-water mark (VmHWM) and a checksum of the trained
 * first layer (the two ways must give the same).
 *
 *   GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1048576 node --expose-gc --import tsx \
 *     bench/interpreter-parts/train-chunk-memory.ts [pattern|no-pattern|step] [dims=6016] [steps=8] [runs=12] [members=5]
 *
 * A run's steps K: 8 is the chunk the default 128 MiB budget gives 10 members at 6,016 dims (512²), 33 at
 * 1,568 (256²), 64 (the most) at 784 (the demo).
 */
import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { hiddenWidths, initEnsemble } from '../../src/compute/interpreter/ensemble-params';
import { buildTrainModel } from '../../src/compute/interpreter/train/graph';
import { carriedStateNames, initialTrainState } from '../../src/compute/interpreter/train/state';
import { openSession } from '../../src/compute/runtime/execution-provider';
import { openTrainSession } from '../../src/compute/interpreter/train/train-sessions';
import { SeededRng } from '../../src/shared/rng';

const way = process.argv[2] ?? 'no-pattern';
if (way !== 'pattern' && way !== 'no-pattern' && way !== 'step')
  throw new Error('The first argument is pattern, no-pattern or step.');
const [dims, K, runs, N] = [6016, 8, 12, 5].map((d, i) => Number(process.argv[3 + i] ?? d));
const B = 64;
const C = 7;
const shape = { members: N, inputDims: dims, hidden: hiddenWidths(C), numClasses: C };
const rng = new SeededRng(3);
const x = new Float32Array(K * N * B * dims).map(() => rng.nextNormal());
const y = new BigInt64Array(K * N * B).map(() => BigInt(Math.floor(rng.nextDouble() * C)));
const es = new Uint8Array(N);
let state = initialTrainState(initEnsemble(shape, 1), shape);
const spec = { numClasses: C, lr: 1e-3, patience: 50 };
let msPerRun: number;
if (way === 'step') {
  const session = await openTrainSession(spec, { executionProviders: ['cpu'], threads: 1 }, 'step');
  const t0 = performance.now();
  for (let r = 0; r < runs; r++)
    state = (await session.train(state, { x, y, es, steps: K, members: N, batch: B, dims })).state;
  msPerRun = (performance.now() - t0) / runs;
  state = { w1: new ort.Tensor('float32', (state.w1.data as Float32Array).slice(), state.w1.dims) };
  await session.dispose();
} else {
  const { session } = await openSession(buildTrainModel(spec), {
    provider: 'cpu',
    threads: 1,
    memPattern: way === 'pattern',
  });
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) {
    const out = await session.run({
      ...state,
      X: new ort.Tensor('float32', x, [K, N, B, dims]),
      Y: new ort.Tensor('int64', y, [K, N, B]),
      es: new ort.Tensor('bool', es, [N]),
    });
    state = Object.fromEntries(carriedStateNames().map((n) => [n, out[`${n}_out`]]));
  }
  msPerRun = (performance.now() - t0) / runs;
  await session.release();
}
const w1 = state.w1.data as Float32Array;
let checksum = 0;
for (let i = 0; i < w1.length; i += 97) checksum += w1[i];
const hwmKiB = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
console.log(
  JSON.stringify({
    bench: 'train-chunk-memory',
    way,
    dims,
    steps: K,
    members: N,
    runs,
    msPerRun: Math.round(msPerRun),
    hwmMiB: Math.round(hwmKiB / 1024),
    checksum,
  }),
);
