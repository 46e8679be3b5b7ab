/**
 * What the fused Adam update of the first layer costs: one pass over the weights, both moments and
 * the gradient of `members` members at `dims` × h1 (the update the Loop model spells as 9
 * onnxruntime operators, docs/benchmarks.md "Where a 512² member-step goes"), twice: plain
 * JavaScript, and the product's WebAssembly SIMD pass (first-layer-update.ts, which the CPU's
 * 'step' way runs). Prints one JSON line: ms per update of all
 * members (median of the runs), the bytes moved per second, whether both give the same weights, and
 * what one onnxruntime run costs that takes a gradient-sized tensor in and hands one back.
 * Compare with the elementwise operators' time of `train-profile.ts` at the same width, members and one
 * thread.
 *
 *   npx tsx bench/interpreter-parts/fused-adam.ts [dims=6016] [members=5] [runs=30] [classes=9]
 */
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { hiddenWidths } from '../../src/compute/interpreter/ensemble-params';
import { FLOAT, GraphBuilder, encodeModel } from '../../src/compute/interpreter/onnx-builder';
import { cpuSessionOptions } from '../../src/compute/runtime/execution-provider';
import { FirstLayerUpdate } from '../../src/compute/interpreter/train/first-layer-update';
import { BETA1 as B1, BETA2 as B2 } from '../../src/compute/interpreter/train/state';
import { median } from '../matmul-peak';

const [dims, members, runs, classes] = [6016, 5, 30, 9].map((d, i) => Number(process.argv[2 + i] ?? d));
const n = members * dims * hiddenWidths(classes)[0]; // a multiple of 4: h1 is
const [A, E] = [1e-4, 3e-7];

const init = (k: 0 | 1 | 2 | 3, i: number) => (k === 0 ? Math.sin(i) * 0.02 : k === 3 ? Math.cos(i * 0.7) * 1e-3 : 0);

// Plain JavaScript over four arrays.
const js = [0, 1, 2, 3].map((k) => new Float32Array(n).map((_, i) => init(k as 0 | 1 | 2 | 3, i)));
function updateJs(): void {
  const [w, u, q, g] = js;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const ui = B1 * u[i] + gi;
    const qi = B2 * q[i] + gi * gi;
    u[i] = ui;
    q[i] = qi;
    w[i] -= (A * ui) / (Math.sqrt(qi) + E);
  }
}

// The product's WebAssembly SIMD pass (first-layer-update.ts), from the same starting values
// (copied before either update runs), one member's coefficients per member.
const update = new FirstLayerUpdate();
update.load(js[0], js[1], js[2]);
update.gradient.set(js[3]);
const [coefA, coefE] = [A, E].map((v) => new Float32Array(members).fill(v));

/** The median ms of `runs` calls. */
async function time(f: () => unknown): Promise<number> {
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}
const jsMs = await time(updateJs);
const wasmMs = await time(() => update.apply(coefA, coefE));

// What a step outside the graph's Loop would add: one run() that takes a gradient-sized tensor in and
// hands one back (onnxruntime-node copies every output), here through a single Neg, one thread.
const g = new GraphBuilder('r_');
const h1 = hiddenWidths(classes)[0];
g.input('G', FLOAT, [members, dims, h1]);
g.op('Neg', ['G'], {}, 'O');
g.output('O', FLOAT, [members, dims, h1]);
const session = await ort.InferenceSession.create(encodeModel(g.graph('round_trip')), cpuSessionOptions(1));
const gradient = new ort.Tensor('float32', js[3], [members, dims, h1]);
const roundTripMs = await time(async () => (await session.run({ G: gradient })).O.dispose());
await session.release();
let maxDiff = 0;
const wasmWeights = update.weights;
for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(js[0][i] - wasmWeights[i]));
// Four arrays read, three written.
const gbs = (ms: number) => Math.round(((7 * 4 * n) / (ms / 1000) / 1e9) * 10) / 10;
console.log(
  JSON.stringify({
    bench: 'fused-adam',
    dims,
    members,
    elements: n,
    runs,
    js: { msPerUpdate: Math.round(jsMs * 100) / 100, gbPerSecond: gbs(jsMs) },
    wasmSimd: { msPerUpdate: Math.round(wasmMs * 100) / 100, gbPerSecond: gbs(wasmMs) },
    maxWeightDifference: maxDiff,
    runWithGradientInAndOutMs: Math.round(roundTripMs * 100) / 100,
    loadAverage: os.loadavg()[0],
  }),
);
