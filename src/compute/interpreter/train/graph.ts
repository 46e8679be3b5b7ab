/**
 * The training graph, as two models (train-sessions.ts runs them):
 *  - buildTrainModel: K optimiser steps of the whole ensemble in one `InferenceSession.run()`, for a
 *    GPU. onnxruntime-node copies every input and output between JS and the provider on each run, so
 *    the weights, Adam moments, step counts, BatchNorm running statistics and early-stopping state are
 *    loop-carried values of an ONNX `Loop` over the K batches of a chunk; they cross once per chunk.
 *  - buildStepModel: one step, with w1's Adam update left to first-layer-update.ts, for the CPU.
 * Both emit the same step (emitStep). Members are stacked on the first axis ([N, in, out] weights, batched
 * MatMul), each reading its own batch X[k, n].
 *
 * One step per member, exactly as the official PyTorch code does it (train_interpreter.py):
 *   forward  Linear → ReLU → BatchNorm1d(train: batch mean, biased var, eps) ×2 → Linear → CrossEntropy
 *   backward by hand (ordinary ONNX ops, formulas below), Adam (β 0.9/0.999, eps 1e-8, bias-corrected
 *   like torch.optim.Adam), running stats with momentum 0.1 and the unbiased batch variance;
 *   early stopping after the update: when the member's `es` flag (its epoch > 3) holds, a loss below
 *   its best resets its counter, otherwise the counter grows; past `patience` the member's `active`
 *   flag drops and its weights are frozen from the next step on (a zero Adam step size, Where on the
 *   running statistics), so the rule is exact per step.
 *
 * The state's layout (packed small trainables, scaled Adam moments) is train-state.ts's.
 */
import { BOOL, FLOAT, GraphBuilder, INT64, encodeModel } from '../onnx-builder';
import { hiddenWidths } from '../ensemble-params';
import { BETA1, BETA2, GRAPH_TRAINABLE, PACKED, carriedStateNames, packedSizes } from './state';

/** The most steps one run of the training model may take (the moments' in-chunk scale τ² stays ≤ 10⁶). */
export const MAX_CHUNK_STEPS = 64;

export interface TrainGraphSpec {
  numClasses: number;
  lr: number;
  patience: number;
  bnEps?: number;
  bnMomentum?: number;
  beta1?: number;
  beta2?: number;
  adamEps?: number;
}

/** What BatchNorm's backward reuses: the centred input, 1/σ and γ/σ. */
interface BnCache {
  xc: string;
  rstd: string;
  scale: string;
}

/**
 * Emits one optimiser step for all members on batch `k` of the chunk: reads the state named by
 * `stateIn`, writes the next state as `<name>_next` and each member's batch loss as `loss_k` (NaN
 * for members already stopped).
 */
/** One step's batch: features x [N, B, D], labels y [N, B] and the in-chunk moment scale τ (see Adam below). */
interface StepBatch {
  x: string;
  y: string;
  tau: string;
}

/**
 * Where w1's Adam update runs: in the graph, or outside it (first-layer-update.ts), in which case the
 * step hands back w1's gradient (unscaled) in `blocks` row blocks, and each member's update
 * coefficients instead.
 */
type W1Update = 'graph' | { blocks: number };

function emitStep(
  g: GraphBuilder,
  spec: Required<TrainGraphSpec>,
  { x, y, tau }: StepBatch,
  stateIn: Record<string, string>,
  w1Update: W1Update,
): void {
  const outName = (s: string) => `${s}_next`;
  const cur: Record<string, string> = {};
  for (const [s, v] of Object.entries(stateIn)) cur[`${s}_in`] = v;
  // The packed small trainables (train-state.ts), unpacked into views of their own shapes.
  const [h1, h2] = hiddenWidths(spec.numClasses);
  const sizes = packedSizes({ hidden: [h1, h2], numClasses: spec.numClasses });
  const parts = g.opMulti(
    'Split',
    [cur.p_in, g.constInt64(sizes)],
    PACKED.map((n) => g.fresh(n)),
    { axis: 2 },
  );
  const unpacked: Record<string, string> = Object.fromEntries(PACKED.map((n, i) => [n, parts[i]]));
  unpacked.w2 = g.op('Reshape', [unpacked.w2, g.constInt64([0, h1, h2])]);
  unpacked.w3 = g.op('Reshape', [unpacked.w3, g.constInt64([0, h2, spec.numClasses])]);
  for (const n of PACKED) cur[`${n}_in`] = unpacked[n];

  const one = g.constFloat([1], []);
  const zero = g.constFloat([0], []);
  const bF = g.op('Cast', [g.op('Gather', [g.op('Shape', [x]), g.constInt64([1], [])], { axis: 0 })], { to: FLOAT });
  const bm1 = g.op('Sub', [bF, one]);
  const perm = [0, 2, 1];
  const eps = g.constFloat([spec.bnEps], []);
  const axis1 = g.constInt64([1]);
  const sumB = (t: string) => g.op('ReduceSum', [t, axis1], { keepdims: 1 });
  const meanB = (t: string) => g.op('ReduceMean', [t], { axes: [1], keepdims: 1 });

  const momentum = g.constFloat([spec.bnMomentum], []);
  const keep = g.constFloat([1 - spec.bnMomentum], []);
  const running: Record<string, string> = {};
  function batchNorm(a: string, gamma: string, beta: string, idx: 1 | 2): { out: string; cache: BnCache } {
    const mu = meanB(a);
    const xc = g.op('Sub', [a, mu]);
    const v = meanB(g.op('Mul', [xc, xc]));
    const rstd = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [v, eps])])]);
    const scale = g.op('Mul', [rstd, gamma]); // [N, 1, h]: γ·x̂ + β = xc·(γ/σ) + β, one pass fewer
    // Running statistics as torch: r = (1 − m)·r + m·stat, with the unbiased variance.
    const vUnbiased = g.op('Div', [g.op('Mul', [v, bF]), bm1]);
    running[`rm${idx}`] = g.op('Add', [g.op('Mul', [cur[`rm${idx}_in`], keep]), g.op('Mul', [mu, momentum])]);
    running[`rv${idx}`] = g.op('Add', [g.op('Mul', [cur[`rv${idx}_in`], keep]), g.op('Mul', [vUnbiased, momentum])]);
    return { out: g.op('Add', [g.op('Mul', [xc, scale]), beta]), cache: { xc, rstd, scale } };
  }
  // dL/da for y = γ·x̂ + β with batch statistics, x̂ = xc/σ:
  //   (γ/σ)·(dy − mean(dy) − xc·mean(dy·xc)/σ²),  dγ = Σ dy·xc / σ,  dβ = Σ dy,
  // written so that only dy·xc, dy·(γ/σ), xc·(…) and two subtractions touch [N, B, h] tensors.
  function batchNormBackward(dy: string, c: BnCache) {
    const dBeta = sumB(dy);
    const dyXc = sumB(g.op('Mul', [dy, c.xc]));
    const dGamma = g.op('Mul', [dyXc, c.rstd]);
    const shift = g.op('Mul', [c.scale, g.op('Div', [dBeta, bF])]); // (γ/σ)·mean(dy)
    const slope = g.op('Mul', [g.op('Mul', [c.scale, g.op('Mul', [c.rstd, c.rstd])]), g.op('Div', [dyXc, bF])]); // (γ/σ)·mean(dy·xc)/σ²
    const dA = g.op('Sub', [g.op('Sub', [g.op('Mul', [dy, c.scale]), shift]), g.op('Mul', [c.xc, slope])]);
    return { dA, dGamma, dBeta };
  }
  const reluGrad = (d: string, z: string) => g.op('Where', [g.op('Greater', [z, zero]), d, zero]);

  // Forward.
  const z1 = g.op('Add', [g.op('MatMul', [x, cur.w1_in]), cur.b1_in]);
  const a1 = g.op('Relu', [z1]);
  const bn1 = batchNorm(a1, cur.g1_in, cur.be1_in, 1);
  const z2 = g.op('Add', [g.op('MatMul', [bn1.out, cur.w2_in]), cur.b2_in]);
  const a2 = g.op('Relu', [z2]);
  const bn2 = batchNorm(a2, cur.g2_in, cur.be2_in, 2);
  const z3 = g.op('Add', [g.op('MatMul', [bn2.out, cur.w3_in]), cur.b3_in]);
  const logp = g.op('LogSoftmax', [z3], { axis: 2 });
  const onehot = g.op('OneHot', [y, g.constInt64([spec.numClasses], []), g.constFloat([0, 1], [2])], { axis: -1 });
  const nll = g.op('Neg', [g.op('ReduceSum', [g.op('Mul', [onehot, logp]), g.constInt64([2])], { keepdims: 0 })]); // [N, B]
  const loss = g.op('ReduceMean', [nll], { axes: [1], keepdims: 0 }); // [N]

  // Backward: softmax cross-entropy (mean over the batch) → (p − onehot)/B.
  const dz3 = g.op('Div', [g.op('Sub', [g.op('Exp', [logp]), onehot]), bF]);
  const grads: Record<string, string> = {};
  grads.w3 = g.op('MatMul', [g.op('Transpose', [bn2.out], { perm }), dz3]);
  grads.b3 = sumB(dz3);
  const do2 = g.op('MatMul', [dz3, g.op('Transpose', [cur.w3_in], { perm })]);
  const bb2 = batchNormBackward(do2, bn2.cache);
  grads.g2 = bb2.dGamma;
  grads.be2 = bb2.dBeta;
  const dz2 = reluGrad(bb2.dA, z2);
  grads.w2 = g.op('MatMul', [g.op('Transpose', [bn1.out], { perm }), dz2]);
  grads.b2 = sumB(dz2);
  const do1 = g.op('MatMul', [dz2, g.op('Transpose', [cur.w2_in], { perm })]);
  const bb1 = batchNormBackward(do1, bn1.cache);
  grads.g1 = bb1.dGamma;
  grads.be1 = bb1.dBeta;
  const dz1 = reluGrad(bb1.dA, z1);
  grads.b1 = sumB(dz1);
  // Inside a chunk the gradients come scaled by τ = β₁^−(k+1) for its k-th step (see Adam below):
  // w1's through the small dz1 (MatMul is linear), the packed ones after packing. Outside the graph,
  // w1's update takes the gradient as it is.
  if (w1Update === 'graph') grads.w1 = g.op('MatMul', [g.op('Transpose', [x], { perm }), g.op('Mul', [dz1, tau])]);
  else {
    // Row block b holds inputs [⌊bD/R⌋, ⌊(b+1)D/R⌋) of every member: onnxruntime-node hands each output
    // back in a new buffer, and blocks under glibc's mmap threshold come from the heap instead of
    // fresh pages (see StepSession).
    const R = w1Update.blocks;
    const dims = g.op('Gather', [g.op('Shape', [x]), g.constInt64([2])], { axis: 0 });
    const bound = (b: number) => g.op('Div', [g.op('Mul', [dims, g.constInt64([b])]), g.constInt64([R])]);
    for (let b = 0; b < R; b++) {
      const cols = R === 1 ? x : g.op('Slice', [x, bound(b), bound(b + 1), g.constInt64([2])]);
      g.op('MatMul', [g.op('Transpose', [cols], { perm }), dz1], {}, `w1_grad_${b}`);
    }
  }

  // The gradients in the state's layout: w1 as is, the small ones packed like `p`.
  const flat = (n: string) =>
    n === 'w2' || n === 'w3' ? g.op('Reshape', [grads[n], g.constInt64([0, 1, -1])]) : grads[n];
  const stateGrads: Record<string, string> = {
    w1: grads.w1,
    p: g.op('Mul', [g.op('Concat', PACKED.map(flat), { axis: 2 }), tau]),
  };
  const updated = w1Update === 'graph' ? GRAPH_TRAINABLE : (['p'] as const);

  // Adam (torch.optim.Adam, bias-corrected), per member step count t, on the scaled moments of
  // train-state.ts: u ← β₁u + g, q ← β₂q + g², w ← w − a·u / (√q + e) with per-member scalars
  //   a = lr·(1 − β₁)·√bc₂ / (bc₁·√(1 − β₂)),  e = ε·√(bc₂ / (1 − β₂)),  bcᵢ = 1 − βᵢᵗ,
  // which is torch's w − lr/bc₁ · m / (√(v/bc₂) + ε) with m = (1 − β₁)u, v = (1 − β₂)q.
  // Within a chunk the moments are carried as ũ = τu and q̃ = τ²q, with the gradient already times τ
  // (τₖβ₁ = τₖ₋₁): ũ ← ũ + τg (one pass over w1 instead of two), q̃ ← (β₂/β₁²)q̃ + (τg)², and
  // a·u/(√q + e) = a·ũ/(√q̃ + eτ). τ = 1 before the first step, so the chunk starts from u and q as
  // they are; buildTrainModel scales them back after the Loop. K ≤ MAX_CHUNK_STEPS keeps τ² ≤ 10⁶.
  // A stopped member's a is zero, which leaves its weights exactly as they are (w − 0 = w); its
  // moments keep moving but are never read again (members do not resume).
  const active = cur.active_in; // [N] bool
  const act3 = g.op('Reshape', [active, g.constInt64([-1, 1, 1])]);
  const actF = g.op('Cast', [act3], { to: FLOAT }); // [N, 1, 1]
  const t1 = g.op('Add', [cur.steps_in, actF]); // [N, 1, 1]
  const tBias = g.op('Max', [t1, one]); // avoid 1 − β⁰ = 0 for members that never stepped
  const bc1 = g.op('Sub', [one, g.op('Pow', [g.constFloat([spec.beta1], []), tBias])]);
  const bc2 = g.op('Sub', [one, g.op('Pow', [g.constFloat([spec.beta2], []), tBias])]);
  const sqrtBc2 = g.op('Sqrt', [bc2]);
  const aCoef = g.op('Mul', [
    g.op('Div', [
      g.op('Mul', [sqrtBc2, g.constFloat([(spec.lr * (1 - spec.beta1)) / Math.sqrt(1 - spec.beta2)], [])]),
      bc1,
    ]),
    actF,
  ]);
  const eCoef = g.op('Mul', [
    g.op('Mul', [sqrtBc2, tau]),
    g.constFloat([spec.adamEps / Math.sqrt(1 - spec.beta2)], []),
  ]);
  const qDecay = g.constFloat([spec.beta2 / (spec.beta1 * spec.beta1)], []);
  if (w1Update !== 'graph') {
    // The update outside runs torch's form unscaled: it needs a and e (without τ) per member.
    g.op('Reshape', [aCoef, g.constInt64([-1])], {}, 'w1_a');
    const ePlain = g.op('Mul', [sqrtBc2, g.constFloat([spec.adamEps / Math.sqrt(1 - spec.beta2)], [])]);
    g.op('Reshape', [ePlain, g.constInt64([-1])], {}, 'w1_e');
  }
  for (const p of updated) {
    const gr = stateGrads[p];
    const u = g.op('Add', [cur[`${p}_u_in`], gr], {}, outName(`${p}_u`));
    const q = g.op('Add', [g.op('Mul', [cur[`${p}_q_in`], qDecay]), g.op('Mul', [gr, gr])], {}, outName(`${p}_q`));
    const step = g.op('Mul', [g.op('Div', [u, g.op('Add', [g.op('Sqrt', [q]), eCoef])]), aCoef]);
    g.op('Sub', [cur[`${p}_in`], step], {}, outName(p));
  }
  for (const r of ['rm1', 'rv1', 'rm2', 'rv2']) g.op('Where', [act3, running[r], cur[`${r}_in`]], {}, outName(r));
  g.op('Identity', [t1], {}, outName('steps'));

  // Early stopping, after the update as in the official loop.
  const es = g.op('And', [active, 'es']); // [N]
  const improved = g.op('Less', [loss, cur.best_in]);
  const candBest = g.op('Where', [improved, loss, cur.best_in]);
  const candCount = g.op('Where', [improved, zero, g.op('Add', [cur.count_in, one])]);
  g.op('Where', [es, candBest, cur.best_in], {}, outName('best'));
  const count = g.op('Where', [es, candCount, cur.count_in], {}, outName('count'));
  g.op(
    'And',
    [active, g.op('Not', [g.op('Greater', [count, g.constFloat([spec.patience], [])])])],
    {},
    outName('active'),
  );
  g.op('Where', [active, loss, g.constFloat([Number.NaN], [])], {}, 'loss_k');
}

/** Builds the Loop body: one optimiser step for all members, on batch `iter` of the chunk. */
function buildBody(spec: Required<TrainGraphSpec>): ReturnType<GraphBuilder['graph']> {
  const g = new GraphBuilder('b_');
  const iter = g.input('iter', INT64, []);
  const condIn = g.input('cond_in', BOOL, []);
  const state = carriedStateNames();
  const cur: Record<string, string> = {};
  for (const s of state) cur[s] = g.input(`${s}_in`, s === 'active' ? BOOL : FLOAT, null);
  const batch: StepBatch = {
    x: g.op('Gather', ['X', iter], { axis: 0 }), // [N, B, D]
    y: g.op('Gather', ['Y', iter], { axis: 0 }), // [N, B] int64
    tau: g.op('Pow', [
      g.constFloat([spec.beta1], []),
      g.op('Neg', [g.op('Add', [g.op('Cast', [iter], { to: FLOAT }), g.constFloat([1], [])])]),
    ]),
  };
  emitStep(g, spec, batch, cur, 'graph');
  g.op('Identity', [condIn], {}, 'cond_out');
  g.output('cond_out', BOOL, []);
  for (const s of state) g.output(`${s}_next`, s === 'active' ? BOOL : FLOAT, null);
  g.output('loss_k', FLOAT, null); // scan output: [K, N] over the loop
  return g.graph('train_step');
}

function withDefaults(spec: TrainGraphSpec): Required<TrainGraphSpec> {
  return { bnEps: 1e-5, bnMomentum: 0.1, beta1: BETA1, beta2: BETA2, adamEps: 1e-8, ...spec };
}

/** The carried state of the one-step model: all but w1's moments, which live with its update outside. */
export function stepStateNames(): string[] {
  return carriedStateNames().filter((s) => s !== 'w1_u' && s !== 'w1_q');
}

/**
 * One optimiser step of all members with w1's update left out (first-layer-update.ts runs it): inputs
 * X [N,B,D] f32, Y [N,B] i64, es bool [N] and stepStateNames(); outputs `<name>_out` for each of them
 * but w1, which the step does not change, w1's gradient in `gradientBlocks` row blocks `w1_grad_<b>`
 * [N, ⌊(b+1)D/R⌋ − ⌊bD/R⌋, H1], the update's per-member
 * coefficients `w1_a` and `w1_e` [N], and each member's batch loss `loss` [N] (NaN once stopped).
 */
export function buildStepModel(specIn: TrainGraphSpec, gradientBlocks: number): Uint8Array {
  const spec = withDefaults(specIn);
  const g = new GraphBuilder('s_');
  g.input('X', FLOAT, ['N', 'B', 'D']);
  g.input('Y', INT64, ['N', 'B']);
  g.input('es', BOOL, ['N']);
  const state = stepStateNames();
  const cur: Record<string, string> = {};
  for (const s of state) cur[s] = g.input(s, s === 'active' ? BOOL : FLOAT, null);
  // A chunk of one step: τ = β₁^−1, and p's moments are scaled back by β₁ and β₁² (buildTrainModel).
  emitStep(g, spec, { x: 'X', y: 'Y', tau: g.constFloat([1 / spec.beta1], []) }, cur, {
    blocks: gradientBlocks,
  });
  const back = g.constFloat([spec.beta1], []);
  const back2 = g.constFloat([spec.beta1 * spec.beta1], []);
  for (const s of state.filter((n) => n !== 'w1')) {
    const scale = s === 'p_u' ? back : s === 'p_q' ? back2 : null;
    g.op(scale ? 'Mul' : 'Identity', scale ? [`${s}_next`, scale] : [`${s}_next`], {}, `${s}_out`);
    g.output(`${s}_out`, s === 'active' ? BOOL : FLOAT, null);
  }
  g.op('Identity', ['loss_k'], {}, 'loss');
  const grads = Array.from({ length: gradientBlocks }, (_, b) => `w1_grad_${b}`);
  for (const o of [...grads, 'w1_a', 'w1_e', 'loss']) g.output(o, FLOAT, null);
  return encodeModel(g.graph('dgs_interpreter_step'));
}

/** The whole training model: inputs X [K,N,B,D] f32, Y [K,N,B] i64, es bool [N] (early stopping applies), then the carried state. */
export function buildTrainModel(specIn: TrainGraphSpec): Uint8Array {
  const spec = withDefaults(specIn);
  const g = new GraphBuilder('m_');
  g.input('X', FLOAT, ['K', 'N', 'B', 'D']);
  g.input('Y', INT64, ['K', 'N', 'B']);
  g.input('es', BOOL, ['N']);
  const state = carriedStateNames();
  for (const s of state) g.input(s, s === 'active' ? BOOL : FLOAT, null);
  const trip = g.op('Gather', [g.op('Shape', ['X']), g.constInt64([0], [])], { axis: 0 });
  // The moments leave the Loop as ũ = τu and q̃ = τ²q of its last step, τ = β₁^−K (emitStep).
  const scaled = new Set(GRAPH_TRAINABLE.flatMap((p) => [`${p}_u`, `${p}_q`]));
  const loopOut = (s: string) => (scaled.has(s) ? `${s}_scaled` : `${s}_out`);
  g.opMulti('Loop', [trip, '', ...state], [...state.map(loopOut), 'losses'], { body: buildBody(spec) });
  const back = g.op('Pow', [g.constFloat([spec.beta1], []), g.op('Cast', [trip], { to: FLOAT })]);
  const back2 = g.op('Mul', [back, back]);
  for (const s of scaled) g.op('Mul', [loopOut(s), s.endsWith('_u') ? back : back2], {}, `${s}_out`);
  for (const s of state) g.output(`${s}_out`, s === 'active' ? BOOL : FLOAT, null);
  g.output('losses', FLOAT, ['K', 'N']);
  return encodeModel(g.graph('dgs_interpreter_train'));
}
