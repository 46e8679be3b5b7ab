/**
 * What a fused Adam update of the first layer would cost: one pass over the weights, both moments and
 * the gradient of `members` members at `dims` × h1 (the update the training graph spells as 9
 * onnxruntime operators, docs/benchmarks.md "Where a 512² member-step goes"), written twice: plain
 * JavaScript, and WebAssembly SIMD (4 floats per instruction; assembled here with wabt, as
 * tools/wasm/build.mjs does for the product's kernels). Prints one JSON line: ms per update of all
 * members (median of the runs), the bytes moved per second, whether both give the same weights, and
 * what one onnxruntime run costs that takes a gradient-sized tensor in and hands one back.
 * Compare with the elementwise operators' time of `train-profile.ts` at the same width, members and one
 * thread. Nothing in the product uses this kernel.
 *
 *   npx tsx bench/interpreter-parts/fused-adam.ts [dims=6016] [members=5] [runs=30] [classes=9]
 */
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import wabtInit from 'wabt';
import { hiddenWidths } from '../../src/compute/interpreter/ensemble-params';
import { FLOAT, GraphBuilder, encodeModel } from '../../src/compute/interpreter/onnx-builder';
import { cpuSessionOptions } from '../../src/compute/runtime/execution-provider';
import { median } from '../matmul-peak';

const [dims, members, runs, classes] = [6016, 5, 30, 9].map((d, i) => Number(process.argv[2 + i] ?? d));
const n = members * dims * hiddenWidths(classes)[0]; // a multiple of 4: h1 is
const [B1, B2, A, E] = [0.9, 0.999, 1e-4, 3e-7];

// w, u, q, g at byte offsets 0, 4n, 8n, 12n of one memory.
const WAT = `(module
  (import "env" "memory" (memory 1))
  (func (export "adam") (param $n i32) (param $a f32) (param $e f32)
    (local $i i32) (local $end i32) (local $g v128) (local $u v128) (local $q v128)
    (local $b1 v128) (local $b2 v128) (local $va v128) (local $ve v128) (local $s i32)
    (local.set $b1 (f32x4.splat (f32.const ${B1})))
    (local.set $b2 (f32x4.splat (f32.const ${B2})))
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $ve (f32x4.splat (local.get $e)))
    (local.set $s (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end (local.get $s))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $g (v128.load (i32.add (local.get $i) (i32.mul (local.get $s) (i32.const 3)))))
        (local.set $u (f32x4.add (f32x4.mul (local.get $b1) (v128.load (i32.add (local.get $i) (local.get $s))))
          (local.get $g)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $b2) (v128.load (i32.add (local.get $i) (i32.shl (local.get $s) (i32.const 1)))))
          (f32x4.mul (local.get $g) (local.get $g))))
        (v128.store (i32.add (local.get $i) (local.get $s)) (local.get $u))
        (v128.store (i32.add (local.get $i) (i32.shl (local.get $s) (i32.const 1))) (local.get $q))
        (v128.store (local.get $i)
          (f32x4.sub (v128.load (local.get $i))
            (f32x4.div (f32x4.mul (local.get $va) (local.get $u))
              (f32x4.add (f32x4.sqrt (local.get $q)) (local.get $ve)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))
)`;

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

// WebAssembly SIMD over one memory.
const wabt = await wabtInit();
const mod = wabt.parseWat('fused-adam.wat', WAT, { simd: true });
const { buffer } = mod.toBinary({});
mod.destroy();
const memory = new WebAssembly.Memory({ initial: Math.ceil((16 * n) / 65536) });
const instance = await WebAssembly.instantiate(new WebAssembly.Module(Uint8Array.from(buffer)), { env: { memory } });
const wasmArrays = [0, 1, 2, 3].map((k) => new Float32Array(memory.buffer, 4 * n * k, n));
// The same starting values as the JavaScript arrays (copied before either update runs).
wasmArrays.forEach((arr, k) => arr.set(js[k]));
const adam = instance.exports.adam as (n: number, a: number, e: number) => void;

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
const wasmMs = await time(() => adam(n, A, E));

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
for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(js[0][i] - wasmArrays[0][i]));
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
