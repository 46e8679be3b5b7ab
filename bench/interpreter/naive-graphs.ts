/**
 * ONNX graphs of the naive reference (bench/interpreter/naive.ts), built with the project's GraphBuilder
 * but shaped like the official PyTorch code's work, not like ours:
 *  - the upsampling graph: every map of one image bilinearly upsampled to the label resolution
 *    (F.interpolate bilinear, align_corners=False = ONNX Resize linear half_pixel), concatenated and
 *    laid out [pixels, dims], as `latent_to_image` + `prepare_data` do;
 *  - the step graph: ONE optimiser step of ONE member (forward, backward, Adam) per `run()`, like one
 *    iteration of `train_interpreter.py`'s loop (`optimizer.zero_grad(); loss.backward(); optimizer.step()`);
 *  - the member graph: one member's MLP on every pixel of an image in eval mode (BatchNorm with running
 *    statistics, not folded), ending in softmax, like `classifier(affine_layers)` at generation.
 */
import { FLOAT, GraphBuilder, INT64, encodeModel } from '../../src/compute/interpreter/onnx-builder';
import type { FeatureShape } from '../../src/shared/interpreter-types';

/** Inputs f_i [1, C_i, r_i, r_i]; output x [L², D] (pixel-major, dims in map order). */
export function buildUpsampleModel(shapes: FeatureShape[], L: number): Uint8Array {
  const g = new GraphBuilder('u_');
  const parts: string[] = [];
  shapes.forEach((s, i) => {
    let t = g.input(`f_${i}`, FLOAT, [1, s.channels, s.resolution, s.resolution]);
    if (s.resolution !== L) {
      t = g.op('Resize', [t, '', '', g.constInt64([1, s.channels, L, L])], {
        mode: 'linear',
        coordinate_transformation_mode: 'half_pixel',
      });
    }
    parts.push(g.op('Reshape', [t, g.constInt64([s.channels, L * L])]));
  });
  const cat = parts.length > 1 ? g.op('Concat', parts, { axis: 0 }) : parts[0];
  g.op('Transpose', [cat], { perm: [1, 0] }, 'x');
  g.output('x', FLOAT, [L * L, shapes.reduce((a, s) => a + s.channels, 0)]);
  return encodeModel(g.graph('naive_upsample'));
}

/** Trainable tensors of one member, 2-D (no member axis): w [in, out], vectors [1, width]. */
export const NAIVE_TRAINABLE = ['w1', 'b1', 'g1', 'be1', 'w2', 'b2', 'g2', 'be2', 'w3', 'b3'] as const;
export const NAIVE_RUNNING = ['rm1', 'rv1', 'rm2', 'rv2'] as const;

/** State tensors carried from one step to the next, in input order (each has an output `<name>_next`). */
export function naiveStateNames(): string[] {
  const n: string[] = [];
  for (const p of NAIVE_TRAINABLE) n.push(p, `${p}_m`, `${p}_v`);
  n.push(...NAIVE_RUNNING);
  return n;
}

export interface StepSpec {
  numClasses: number;
  lr: number;
  bnEps?: number;
  bnMomentum?: number;
  beta1?: number;
  beta2?: number;
  adamEps?: number;
}

/**
 * One step of one member. Inputs: X [B, D] f32, Y [B] i64, t [1] f32 (the step number after this step,
 * 1-based, for Adam's bias correction), then the state. Outputs: loss [] and `<state>_next`.
 */
export function buildStepModel(specIn: StepSpec): Uint8Array {
  const spec = { bnEps: 1e-5, bnMomentum: 0.1, beta1: 0.9, beta2: 0.999, adamEps: 1e-8, ...specIn };
  const g = new GraphBuilder('s_');
  const x = g.input('X', FLOAT, ['B', 'D']);
  const y = g.input('Y', INT64, ['B']);
  const t = g.input('t', FLOAT, [1]);
  const cur: Record<string, string> = {};
  for (const s of naiveStateNames()) cur[s] = g.input(s, FLOAT, null);

  const one = g.constFloat([1], []);
  const zero = g.constFloat([0], []);
  const bF = g.op('Cast', [g.op('Gather', [g.op('Shape', [x]), g.constInt64([0], [])], { axis: 0 })], { to: FLOAT });
  const eps = g.constFloat([spec.bnEps], []);
  const meanB = (a: string) => g.op('ReduceMean', [a], { axes: [0], keepdims: 1 });
  const sumB = (a: string) => g.op('ReduceSum', [a, g.constInt64([0])], { keepdims: 1 });
  const T = (a: string) => g.op('Transpose', [a], { perm: [1, 0] });
  const next: Record<string, string> = {};

  // BatchNorm1d in training mode: batch mean, biased variance; running stats with the unbiased one.
  function bn(a: string, gamma: string, beta: string, k: 1 | 2) {
    const mu = meanB(a);
    const xc = g.op('Sub', [a, mu]);
    const v = meanB(g.op('Mul', [xc, xc]));
    const rstd = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [v, eps])])]);
    const xh = g.op('Mul', [xc, rstd]);
    const vu = g.op('Div', [g.op('Mul', [v, bF]), g.op('Sub', [bF, one])]);
    const m = g.constFloat([spec.bnMomentum], []);
    const keep = g.constFloat([1 - spec.bnMomentum], []);
    next[`rm${k}`] = g.op('Add', [g.op('Mul', [cur[`rm${k}`], keep]), g.op('Mul', [mu, m])], {}, `rm${k}_next`);
    next[`rv${k}`] = g.op('Add', [g.op('Mul', [cur[`rv${k}`], keep]), g.op('Mul', [vu, m])], {}, `rv${k}_next`);
    return { out: g.op('Add', [g.op('Mul', [xh, gamma]), beta]), xh, rstd };
  }
  function bnBack(dy: string, gamma: string, c: { xh: string; rstd: string }) {
    const dxh = g.op('Mul', [dy, gamma]);
    const inner = g.op('Sub', [g.op('Sub', [dxh, meanB(dxh)]), g.op('Mul', [c.xh, meanB(g.op('Mul', [dxh, c.xh]))])]);
    return { dA: g.op('Mul', [inner, c.rstd]), dG: sumB(g.op('Mul', [dy, c.xh])), dBe: sumB(dy) };
  }
  const reluBack = (d: string, z: string) =>
    g.op('Mul', [d, g.op('Cast', [g.op('Greater', [z, zero])], { to: FLOAT })]);

  const z1 = g.op('Add', [g.op('MatMul', [x, cur.w1]), cur.b1]);
  const n1 = bn(g.op('Relu', [z1]), cur.g1, cur.be1, 1);
  const z2 = g.op('Add', [g.op('MatMul', [n1.out, cur.w2]), cur.b2]);
  const n2 = bn(g.op('Relu', [z2]), cur.g2, cur.be2, 2);
  const z3 = g.op('Add', [g.op('MatMul', [n2.out, cur.w3]), cur.b3]);
  const logp = g.op('LogSoftmax', [z3], { axis: 1 });
  const onehot = g.op('OneHot', [y, g.constInt64([spec.numClasses], []), g.constFloat([0, 1], [2])], { axis: -1 });
  g.op(
    'Neg',
    [
      g.op('ReduceMean', [g.op('ReduceSum', [g.op('Mul', [onehot, logp]), g.constInt64([1])], { keepdims: 0 })], {
        keepdims: 0,
      }),
    ],
    {},
    'loss',
  );

  const gr: Record<string, string> = {};
  const dz3 = g.op('Div', [g.op('Sub', [g.op('Exp', [logp]), onehot]), bF]);
  gr.w3 = g.op('MatMul', [T(n2.out), dz3]);
  gr.b3 = sumB(dz3);
  const b2 = bnBack(g.op('MatMul', [dz3, T(cur.w3)]), cur.g2, n2);
  gr.g2 = b2.dG;
  gr.be2 = b2.dBe;
  const dz2 = reluBack(b2.dA, z2);
  gr.w2 = g.op('MatMul', [T(n1.out), dz2]);
  gr.b2 = sumB(dz2);
  const b1 = bnBack(g.op('MatMul', [dz2, T(cur.w2)]), cur.g1, n1);
  gr.g1 = b1.dG;
  gr.be1 = b1.dBe;
  const dz1 = reluBack(b1.dA, z1);
  gr.w1 = g.op('MatMul', [T(x), dz1]);
  gr.b1 = sumB(dz1);

  // torch.optim.Adam: m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; p −= lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
  const bc1 = g.op('Sub', [one, g.op('Pow', [g.constFloat([spec.beta1], []), t])]);
  const bc2 = g.op('Sub', [one, g.op('Pow', [g.constFloat([spec.beta2], []), t])]);
  const stepSize = g.op('Div', [g.constFloat([spec.lr], []), bc1]);
  const invSqrtBc2 = g.op('Reciprocal', [g.op('Sqrt', [bc2])]);
  const b1c = g.constFloat([spec.beta1], []),
    b1n = g.constFloat([1 - spec.beta1], []);
  const b2c = g.constFloat([spec.beta2], []),
    b2n = g.constFloat([1 - spec.beta2], []);
  const aeps = g.constFloat([spec.adamEps], []);
  for (const p of NAIVE_TRAINABLE) {
    const m = g.op('Add', [g.op('Mul', [cur[`${p}_m`], b1c]), g.op('Mul', [gr[p], b1n])], {}, `${p}_m_next`);
    const v = g.op(
      'Add',
      [g.op('Mul', [cur[`${p}_v`], b2c]), g.op('Mul', [g.op('Mul', [gr[p], gr[p]]), b2n])],
      {},
      `${p}_v_next`,
    );
    const denom = g.op('Add', [g.op('Mul', [g.op('Sqrt', [v]), invSqrtBc2]), aeps]);
    next[p] = g.op('Sub', [cur[p], g.op('Mul', [g.op('Div', [m, denom]), stepSize])], {}, `${p}_next`);
    next[`${p}_m`] = m;
    next[`${p}_v`] = v;
  }
  g.output('loss', FLOAT, []);
  for (const s of naiveStateNames()) g.output(`${s}_next`, FLOAT, null);
  return encodeModel(g.graph('naive_train_step'));
}

export interface MemberWeights {
  w1: Float32Array;
  b1: Float32Array;
  g1: Float32Array;
  be1: Float32Array;
  rm1: Float32Array;
  rv1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  g2: Float32Array;
  be2: Float32Array;
  rm2: Float32Array;
  rv2: Float32Array;
  w3: Float32Array;
  b3: Float32Array;
}

/** One member in eval mode on x [P, D]: Linear → ReLU → BatchNorm(running stats) ×2 → Linear → softmax; output probs [P, C]. */
export function buildMemberModel(
  w: MemberWeights,
  D: number,
  hidden: [number, number],
  C: number,
  bnEps = 1e-5,
): Uint8Array {
  const [h1, h2] = hidden;
  const g = new GraphBuilder('m_');
  const x = g.input('x', FLOAT, ['P', D]);
  const lin = (a: string, name: 'w1' | 'w2' | 'w3', b: 'b1' | 'b2' | 'b3', i: number, o: number) =>
    g.op('Add', [g.op('MatMul', [a, g.initFloat(name, w[name], [i, o])]), g.initFloat(b, w[b], [o])]);
  const bn = (a: string, k: 1 | 2, width: number) =>
    g.op(
      'BatchNormalization',
      [
        a,
        g.initFloat(`g${k}`, w[`g${k}`], [width]),
        g.initFloat(`be${k}`, w[`be${k}`], [width]),
        g.initFloat(`rm${k}`, w[`rm${k}`], [width]),
        g.initFloat(`rv${k}`, w[`rv${k}`], [width]),
      ],
      { epsilon: { float: bnEps } },
    );
  const a1 = bn(g.op('Relu', [lin(x, 'w1', 'b1', D, h1)]), 1, h1);
  const a2 = bn(g.op('Relu', [lin(a1, 'w2', 'b2', h1, h2)]), 2, h2);
  g.op('Softmax', [lin(a2, 'w3', 'b3', h2, C)], { axis: 1 }, 'probs');
  g.output('probs', FLOAT, ['P', C]);
  return encodeModel(g.graph('naive_member'));
}
