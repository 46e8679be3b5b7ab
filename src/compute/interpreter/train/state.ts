/**
 * The training graph's loop-carried state (graph.ts) and its conversion from and to the
 * ensemble's parameters (ensemble-params.ts).
 *
 * Two layouts differ from the parameters on purpose, to cut the graph's per-step op count:
 *  - The nine small trainables (b1 g1 be1 w2 b2 g2 be2 w3 b3) travel packed, per member, in one
 *    [N, 1, P] tensor `p` (in that order, each row-major), so Adam updates them with one chain of
 *    element-wise ops instead of nine; w1, the big one, stays [N, D, H1].
 *  - Adam's moments are kept scaled, u = m / (1 − β₁) and q = v / (1 − β₂), which turns
 *    m ← β₁m + (1 − β₁)g into u ← β₁u + g (and the same for q with g²): fewer ops over every weight.
 *
 * Then come the BatchNorm running statistics, each member's step count, and the early-stopping
 * state (best loss, steps since it, active flag).
 */
import * as ort from 'onnxruntime-node';
import type { EnsembleParams, EnsembleShape, TrainableName } from '../ensemble-params';
import { RUNNING, TRAINABLE, tensorShape, tensorSize } from '../ensemble-params';

export const BETA1 = 0.9;
export const BETA2 = 0.999;

/** The trainables packed into `p`, in packing order. */
export const PACKED = TRAINABLE.filter((n) => n !== 'w1') as Exclude<TrainableName, 'w1'>[];

/** Trainable tensors of the graph: each has moments `<name>_u` and `<name>_q`. */
export const GRAPH_TRAINABLE = ['w1', 'p'] as const;

/** Names of loop-carried state, in graph input order; each has an input `<name>` and output `<name>_out`. */
export function carriedStateNames(): string[] {
  const names: string[] = [];
  for (const p of GRAPH_TRAINABLE) names.push(p, `${p}_u`, `${p}_q`);
  names.push(...RUNNING, 'steps', 'best', 'count', 'active');
  return names;
}

/** Per-member sizes of the packed trainables (with numClasses' official widths in `shape.hidden`). */
export function packedSizes(shape: Pick<EnsembleShape, 'hidden' | 'numClasses'>): number[] {
  const one: EnsembleShape = { hidden: shape.hidden, numClasses: shape.numClasses, members: 1, inputDims: 1 };
  return PACKED.map((n) => tensorSize(n, one));
}

function pack(params: Pick<EnsembleParams, (typeof PACKED)[number]>, shape: EnsembleShape): Float32Array {
  const sizes = packedSizes(shape);
  const P = sizes.reduce((a, b) => a + b, 0);
  const out = new Float32Array(shape.members * P);
  for (let m = 0; m < shape.members; m++) {
    let at = m * P;
    PACKED.forEach((n, i) => {
      out.set(params[n].subarray(m * sizes[i], (m + 1) * sizes[i]), at);
      at += sizes[i];
    });
  }
  return out;
}

function unpack(packed: Float32Array, shape: EnsembleShape): Record<(typeof PACKED)[number], Float32Array> {
  const sizes = packedSizes(shape);
  const P = sizes.reduce((a, b) => a + b, 0);
  const out = {} as Record<(typeof PACKED)[number], Float32Array>;
  PACKED.forEach((n, i) => {
    out[n] = new Float32Array(shape.members * sizes[i]);
  });
  for (let m = 0; m < shape.members; m++) {
    let at = m * P;
    PACKED.forEach((n, i) => {
      out[n].set(packed.subarray(at, at + sizes[i]), m * sizes[i]);
      at += sizes[i];
    });
  }
  return out;
}

/** The state before the first step: the given parameters, zero moments and counters, every member active. */
export function initialTrainState(params: EnsembleParams, shape: EnsembleShape): Record<string, ort.Tensor> {
  const N = shape.members;
  const P = packedSizes(shape).reduce((a, b) => a + b, 0);
  const f32 = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);
  const w1Dims = tensorShape('w1', shape);
  const s: Record<string, ort.Tensor> = {
    w1: f32(Float32Array.from(params.w1), w1Dims),
    w1_u: f32(new Float32Array(params.w1.length), w1Dims),
    w1_q: f32(new Float32Array(params.w1.length), w1Dims),
    p: f32(pack(params, shape), [N, 1, P]),
    p_u: f32(new Float32Array(N * P), [N, 1, P]),
    p_q: f32(new Float32Array(N * P), [N, 1, P]),
  };
  for (const r of RUNNING) s[r] = f32(Float32Array.from(params[r]), tensorShape(r, shape));
  s.steps = f32(new Float32Array(N), [N, 1, 1]);
  s.best = f32(new Float32Array(N).fill(1e7), [N]);
  s.count = f32(new Float32Array(N), [N]);
  s.active = new ort.Tensor('bool', new Uint8Array(N).fill(1), [N]);
  return s;
}

/** A state tensor by carried name, from a state record (`<name>`) or a run's outputs (`<name>_out`). */
type StateLookup = Record<string, ort.Tensor>;
function get(state: StateLookup, name: string): Float32Array {
  return (state[name] ?? state[`${name}_out`]).data as Float32Array;
}

/** The ensemble's parameters out of a state (or of a run's outputs). */
export function trainedParams(state: StateLookup, shape: EnsembleShape): EnsembleParams {
  const p = { w1: Float32Array.from(get(state, 'w1')), ...unpack(get(state, 'p'), shape) } as EnsembleParams;
  for (const r of RUNNING) p[r] = Float32Array.from(get(state, r));
  return p;
}

/** torch.optim.Adam's exp_avg and exp_avg_sq of every trainable, for tests: m = (1 − β₁)u, v = (1 − β₂)q. */
export function adamMoments(
  state: StateLookup,
  shape: EnsembleShape,
): Record<TrainableName, { m: Float32Array; v: Float32Array }> {
  const scale = (a: Float32Array, c: number) => a.map((x) => x * Math.fround(c));
  const u = { w1: get(state, 'w1_u'), ...unpack(get(state, 'p_u'), shape) };
  const q = { w1: get(state, 'w1_q'), ...unpack(get(state, 'p_q'), shape) };
  const out = {} as Record<TrainableName, { m: Float32Array; v: Float32Array }>;
  for (const n of TRAINABLE) out[n] = { m: scale(u[n], 1 - BETA1), v: scale(q[n], 1 - BETA2) };
  return out;
}

/** Members `keep` (indices into the stack, in that order) of a state, as a state of keep.length members. */
export function selectMembers(state: Record<string, ort.Tensor>, keep: number[]): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(state)) {
    const src = t.data as Float32Array | Uint8Array;
    const stride = src.length / t.dims[0];
    const Ctor = src.constructor as Float32ArrayConstructor | Uint8ArrayConstructor;
    const dst = new Ctor(keep.length * stride);
    keep.forEach((m, i) => dst.set(src.subarray(m * stride, (m + 1) * stride), i * stride));
    out[name] = new ort.Tensor(t.type as 'float32' | 'bool', dst, [keep.length, ...t.dims.slice(1)]);
  }
  return out;
}

/** The carried state a member still needs once it has stopped: its weights, running statistics and step count. */
const FINAL_STATE = ['w1', 'p', ...RUNNING, 'steps'] as const;

/**
 * The final state of members that left the stack (ensemble.ts's compaction). Adam's moments are not
 * kept, since a stopped member never steps again: that is two thirds of a member's state at 512².
 */
export class DepartedMembers {
  private readonly kept = new Map<number, Record<string, Float32Array>>();

  constructor(private readonly members: number) {}

  /** Keeps member slots[s] of `state` for each stack index s in `leaving`. */
  keep(state: Record<string, ort.Tensor>, slots: number[], leaving: number[]): void {
    for (const s of leaving) {
      const one: Record<string, Float32Array> = {};
      for (const name of FINAL_STATE) {
        const src = state[name].data as Float32Array;
        const stride = src.length / state[name].dims[0];
        one[name] = src.slice(s * stride, (s + 1) * stride);
      }
      this.kept.set(slots[s], one);
    }
  }

  /** The whole stack's final state: kept members from here, member slots[s] from `state`'s member s. */
  assemble(state: Record<string, ort.Tensor>, slots: number[]): Record<string, ort.Tensor> {
    const out: Record<string, ort.Tensor> = {};
    for (const name of FINAL_STATE) {
      const t = state[name];
      const src = t.data as Float32Array;
      const stride = src.length / t.dims[0];
      const data = new Float32Array(this.members * stride);
      for (const [m, one] of this.kept) data.set(one[name], m * stride);
      slots.forEach((m, s) => data.set(src.subarray(s * stride, (s + 1) * stride), m * stride));
      out[name] = new ort.Tensor('float32', data, [this.members, ...t.dims.slice(1)]);
    }
    return out;
  }
}
