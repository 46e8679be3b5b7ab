/**
 * The ensemble's parameters, stacked over members so that one graph trains and runs all of them:
 * every tensor has the member axis first. Initialisation follows the official `init_weights`
 * (Linear weights N(0, 0.02), biases 0; BatchNorm1d keeps PyTorch defaults γ=1, β=0, running mean 0,
 * running var 1), drawn from the project's seeded RNG so the same seed gives the same weights.
 */
import { SeededRng } from '../../shared/rng';
import { UserError } from '../../shared/errors';

/** Trainable tensors, in the order used by the graphs and the serialised weights. */
export const TRAINABLE = ['w1', 'b1', 'g1', 'be1', 'w2', 'b2', 'g2', 'be2', 'w3', 'b3'] as const;
/** BatchNorm running statistics (updated by training, used by inference). */
export const RUNNING = ['rm1', 'rv1', 'rm2', 'rv2'] as const;
export const ALL_TENSORS = [...TRAINABLE, ...RUNNING] as const;

export type TrainableName = (typeof TRAINABLE)[number];
export type TensorName = (typeof ALL_TENSORS)[number];
export type EnsembleParams = Record<TensorName, Float32Array>;

export interface EnsembleShape {
  members: number;
  inputDims: number;
  hidden: [number, number];
  numClasses: number;
}

/** Official widths: dim→128→32→C when C < 32, else dim→256→128→C. */
export function hiddenWidths(numClasses: number): [number, number] {
  return numClasses < 32 ? [128, 32] : [256, 128];
}

/** Shape of one tensor including the member axis. Biases and BN vectors are [N, 1, width] to broadcast over the batch. */
export function tensorShape(name: TensorName, s: EnsembleShape): number[] {
  const [h1, h2] = s.hidden;
  const n = s.members;
  switch (name) {
    case 'w1':
      return [n, s.inputDims, h1];
    case 'w2':
      return [n, h1, h2];
    case 'w3':
      return [n, h2, s.numClasses];
    case 'b1':
    case 'g1':
    case 'be1':
    case 'rm1':
    case 'rv1':
      return [n, 1, h1];
    case 'b2':
    case 'g2':
    case 'be2':
    case 'rm2':
    case 'rv2':
      return [n, 1, h2];
    case 'b3':
      return [n, 1, s.numClasses];
  }
}

export function tensorSize(name: TensorName, s: EnsembleShape): number {
  return tensorShape(name, s).reduce((a, b) => a * b, 1);
}

export function initEnsemble(s: EnsembleShape, seed: number): EnsembleParams {
  const rng = new SeededRng(seed >>> 0);
  const p = {} as EnsembleParams;
  for (const name of ALL_TENSORS) p[name] = new Float32Array(tensorSize(name, s));
  for (const name of ['g1', 'g2', 'rv1', 'rv2'] as const) p[name].fill(1);
  // Member by member, so member n's weights do not depend on the ensemble size.
  for (const w of ['w1', 'w2', 'w3'] as const) {
    const per = tensorSize(w, s) / s.members;
    for (let m = 0; m < s.members; m++) {
      const arr = p[w];
      for (let i = 0; i < per; i++) arr[m * per + i] = rng.nextNormal() * 0.02;
    }
  }
  return p;
}

const MAGIC = 0x49534744; // "DGSI" little-endian
const LAYOUT_VERSION = 1;

/**
 * Serialises the weights: a 16-byte header (u32 magic "DGSI", u32 layout version 1, u32 tensor count,
 * u32 reserved 0) then every tensor of ALL_TENSORS in that order as float32 little-endian, each with
 * the shape `tensorShape` gives (row-major, member axis first).
 */
export function serializeEnsemble(p: EnsembleParams, s: EnsembleShape): Uint8Array {
  const total = ALL_TENSORS.reduce((a, n) => a + tensorSize(n, s), 0);
  const out = new Uint8Array(16 + total * 4);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, LAYOUT_VERSION, true);
  dv.setUint32(8, ALL_TENSORS.length, true);
  let off = 16;
  for (const name of ALL_TENSORS) {
    const t = p[name];
    if (t.length !== tensorSize(name, s))
      throw new Error(`tensor ${name} has ${t.length} values, expected ${tensorSize(name, s)}`);
    for (let i = 0; i < t.length; i++, off += 4) dv.setFloat32(off, t[i], true);
  }
  return out;
}

export function deserializeEnsemble(bytes: Uint8Array, s: EnsembleShape): EnsembleParams {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const total = ALL_TENSORS.reduce((a, n) => a + tensorSize(n, s), 0);
  if (bytes.byteLength < 16 || dv.getUint32(0, true) !== MAGIC) {
    throw new UserError('These interpreter weights are not in the DatasetGAN Studio format; retrain the interpreter.');
  }
  if (
    dv.getUint32(4, true) !== LAYOUT_VERSION ||
    dv.getUint32(8, true) !== ALL_TENSORS.length ||
    bytes.byteLength !== 16 + total * 4
  ) {
    throw new UserError(
      'These interpreter weights do not match their configuration (damaged or from another version); retrain the interpreter.',
    );
  }
  const p = {} as EnsembleParams;
  let off = 16;
  for (const name of ALL_TENSORS) {
    const t = new Float32Array(tensorSize(name, s));
    for (let i = 0; i < t.length; i++, off += 4) t[i] = dv.getFloat32(off, true);
    p[name] = t;
  }
  return p;
}

/** Members [from, to) as an ensemble of their own (cross-validation trains all folds in one stack). */
export function sliceMembers(
  p: EnsembleParams,
  s: EnsembleShape,
  from: number,
  to: number,
): { params: EnsembleParams; shape: EnsembleShape } {
  const out = {} as EnsembleParams;
  for (const name of ALL_TENSORS) {
    const per = tensorSize(name, s) / s.members;
    out[name] = p[name].slice(from * per, to * per);
  }
  return { params: out, shape: { ...s, members: to - from } };
}
