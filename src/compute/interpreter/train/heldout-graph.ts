/**
 * The held-out loss graph of the 'heldout' training rule (docs/interpreter.md, "Training rules"): every
 * member of a stack labels the same held-out pixels as inference would (BatchNorm with its running
 * statistics) and gives each pixel's cross-entropy. Inputs are the training state's own tensors (w1, the
 * packed small trainables `p`, the running statistics), so a chunk's outputs feed it without a copy.
 *
 *   X [V, D] float32, Y [V] int64, w1 [N, D, h1], p [N, 1, P], rm1/rv1 [N, 1, h1], rm2/rv2 [N, 1, h2]
 *   → ce [N, V]
 */
import type * as ort from 'onnxruntime-node';
import { FLOAT, GraphBuilder, INT64, encodeModel } from '../onnx-builder';
import { hiddenWidths } from '../ensemble-params';
import { PACKED, packedSizes } from './state';

/** The held-out loss graph's inputs from a training state as it leaves a chunk (besides X and Y). */
export function heldoutStateInputs(state: Record<string, ort.Tensor>): Record<string, ort.Tensor> {
  const { w1, p, rm1, rv1, rm2, rv2 } = state;
  return { w1, p, rm1, rv1, rm2, rv2 };
}

export function buildHeldoutLossModel(numClasses: number, bnEps = 1e-5): Uint8Array {
  const g = new GraphBuilder('h_');
  const [h1, h2] = hiddenWidths(numClasses);
  g.input('X', FLOAT, ['V', 'D']);
  g.input('Y', INT64, ['V']);
  g.input('w1', FLOAT, ['N', 'D', h1]);
  g.input('p', FLOAT, ['N', 1, 'P']);
  for (const r of ['rm1', 'rv1']) g.input(r, FLOAT, ['N', 1, h1]);
  for (const r of ['rm2', 'rv2']) g.input(r, FLOAT, ['N', 1, h2]);
  const sizes = packedSizes({ hidden: [h1, h2], numClasses });
  const parts = g.opMulti(
    'Split',
    ['p', g.constInt64(sizes)],
    PACKED.map((n) => g.fresh(n)),
    { axis: 2 },
  );
  const t: Record<string, string> = Object.fromEntries(PACKED.map((n, i) => [n, parts[i]]));
  const w2 = g.op('Reshape', [t.w2, g.constInt64([0, h1, h2])]);
  const w3 = g.op('Reshape', [t.w3, g.constInt64([0, h2, numClasses])]);
  const eps = g.constFloat([bnEps], []);
  // Inference's BatchNorm: (a − μ)·γ/√(σ² + ε) + β with the running statistics.
  const bn = (a: string, rm: string, rv: string, gamma: string, beta: string) =>
    g.op('Add', [
      g.op('Mul', [g.op('Sub', [a, rm]), g.op('Div', [gamma, g.op('Sqrt', [g.op('Add', [rv, eps])])])]),
      beta,
    ]);
  const a1 = g.op('Relu', [g.op('Add', [g.op('MatMul', ['X', 'w1']), t.b1])]); // [N, V, h1]
  const x2 = bn(a1, 'rm1', 'rv1', t.g1, t.be1);
  const a2 = g.op('Relu', [g.op('Add', [g.op('MatMul', [x2, w2]), t.b2])]);
  const x3 = bn(a2, 'rm2', 'rv2', t.g2, t.be2);
  const logp = g.op('LogSoftmax', [g.op('Add', [g.op('MatMul', [x3, w3]), t.b3])], { axis: 2 }); // [N, V, C]
  const onehot = g.op('OneHot', ['Y', g.constInt64([numClasses], []), g.constFloat([0, 1], [2])], { axis: -1 }); // [V, C]
  g.op('Neg', [g.op('ReduceSum', [g.op('Mul', [logp, onehot]), g.constInt64([2])], { keepdims: 0 })], {}, 'ce');
  g.output('ce', FLOAT, ['N', 'V']);
  return encodeModel(g.graph('dgs_interpreter_heldout_loss'));
}
