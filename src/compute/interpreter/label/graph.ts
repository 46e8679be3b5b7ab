/**
 * Inference graphs of the whole ensemble (all members in one graph).
 *
 * Labeling generated images (DESIGN §5) uses the factorisation W·up(F) = up(W·F) (both linear), in
 * the pieces the labeler (labeler.ts, plan.ts) streams over the label grid:
 * - the projection graph multiplies a band of rows of the maps of one resolution by their first-layer
 *   weights, channel-last, for the upsampling kernel (upsample-kernel.ts);
 * - the resize graph resizes maps to the label grid (Resize half_pixel) when multiplying them there is
 *   cheaper;
 * - the tile graph multiplies the maps at the label grid for a tile of rows, adds the kernel's
 *   upsampled projections and the bias, and runs the rest: ReLU, the BatchNorms folded into the next
 *   Linear (running statistics, inference mode), softmax, vote and uncertainty.
 *
 * Pixel: the same head on feature vectors already gathered per pixel (tests and the naive benchmark).
 *
 * Both end in the same head: per member softmax, label = majority vote of the members' argmax with
 * ties going to the tied class of highest mean probability, and the Jensen–Shannon uncertainty
 * H(mean p) − mean H(p) in nats.
 */
import { FLOAT, GraphBuilder, INT64, encodeModel } from '../onnx-builder';
import type { EnsembleParams, EnsembleShape } from '../ensemble-params';
import type { FeatureShape } from '../../../shared/interpreter-types';

export interface FoldedEnsemble {
  /** [N, H1, D]: first layer, transposed so maps project as MatMul(W, F[C, r·r]). */
  w1t: Float32Array;
  b1: Float32Array; // [N, H1, 1]
  w2t: Float32Array; // [N, H2, H1] with BN1 folded in
  b2: Float32Array; // [N, H2, 1]
  w3t: Float32Array; // [N, C, H2] with BN2 folded in
  b3: Float32Array; // [N, C, 1]
}

/** Folds y = γ(a − μ)/√(σ² + ε) + β into the following Linear: W' = diag(s)·W, b' = (β − s·μ)·W + b. */
function foldLayer(
  w: Float32Array,
  b: Float32Array,
  g: Float32Array,
  be: Float32Array,
  rm: Float32Array,
  rv: Float32Array,
  n: number,
  hin: number,
  hout: number,
  eps: number,
): { wt: Float32Array; bias: Float32Array } {
  const wt = new Float32Array(n * hout * hin);
  const bias = new Float32Array(n * hout);
  for (let m = 0; m < n; m++) {
    for (let o = 0; o < hout; o++) {
      let acc = b[m * hout + o];
      for (let i = 0; i < hin; i++) {
        const s = g[m * hin + i] / Math.sqrt(rv[m * hin + i] + eps);
        const c = be[m * hin + i] - s * rm[m * hin + i];
        const wv = w[(m * hin + i) * hout + o];
        wt[(m * hout + o) * hin + i] = s * wv;
        acc += c * wv;
      }
      bias[m * hout + o] = acc;
    }
  }
  return { wt, bias };
}

/** The first `k` members of a folded ensemble (the early-decided vote's first pass). */
export function firstMembers(f: FoldedEnsemble, s: EnsembleShape, k: number): FoldedEnsemble {
  const [h1, h2] = s.hidden;
  const c = s.numClasses;
  return {
    w1t: f.w1t.slice(0, k * h1 * s.inputDims),
    b1: f.b1.slice(0, k * h1),
    w2t: f.w2t.slice(0, k * h2 * h1),
    b2: f.b2.slice(0, k * h2),
    w3t: f.w3t.slice(0, k * c * h2),
    b3: f.b3.slice(0, k * c),
  };
}

export function foldEnsemble(p: EnsembleParams, s: EnsembleShape, eps: number): FoldedEnsemble {
  const [h1, h2] = s.hidden;
  const n = s.members;
  const d = s.inputDims;
  const w1t = new Float32Array(n * h1 * d);
  for (let m = 0; m < n; m++)
    for (let i = 0; i < d; i++) for (let o = 0; o < h1; o++) w1t[(m * h1 + o) * d + i] = p.w1[(m * d + i) * h1 + o];
  const l2 = foldLayer(p.w2, p.b2, p.g1, p.be1, p.rm1, p.rv1, n, h1, h2, eps);
  const l3 = foldLayer(p.w3, p.b3, p.g2, p.be2, p.rm2, p.rv2, n, h2, s.numClasses, eps);
  return { w1t, b1: p.b1.slice(), w2t: l2.wt, b2: l2.bias, w3t: l3.wt, b3: l3.bias };
}

/**
 * What the graph returns: 'vote' = label [B, P] u8 and uncertainty [B, P] of the whole ensemble;
 * 'vote+probs' adds probs [B, N, C, P] (tests); 'vote+counts' adds counts [B, C, P], the members'
 * votes per class (the early-decided vote's first pass, early-vote.ts).
 */
export type HeadOutputs = 'vote' | 'vote+probs' | 'vote+counts';

/** The value names a head leaves in its graph. */
export interface HeadValues {
  label: string;
  uncertainty: string;
  probs?: string;
  counts?: string;
}

/**
 * MLAS multiplies in slices of 128 along K when the product is wide enough, and in other slices when it
 * is narrow (few columns per thread). Products over more than 128 inputs are written as a chain of
 * products over 128 each, so every pixel gets the same additions whatever the tile size: the labels of
 * the streamed labeler, the one-graph labeler and the early-decided vote are then the same bytes.
 */
export const K_SLICE = 128;

/**
 * rows·x (+ c), rows [M, K] a constant, x [K, P]: a Gemm (c given, added first as MLAS does) or a MatMul,
 * chained over slices of K_SLICE inputs. `batched` rows [n, M, K] multiply x [B, n, K, P] per member.
 */
export function chainedProduct(
  g: GraphBuilder,
  rows: Float32Array,
  dims: number[],
  x: string,
  c: string | null,
  hint: string,
): string {
  const k = dims[dims.length - 1];
  const batched = dims.length === 3;
  let acc = c;
  for (let k0 = 0; k0 < k; k0 += K_SLICE) {
    const k1 = Math.min(k, k0 + K_SLICE);
    const w = k0 === 0 && k1 === k ? rows : sliceLastAxis(rows, dims, k0, k1);
    const wName = g.initFloat(g.fresh(hint), w, [...dims.slice(0, -1), k1 - k0]);
    const axis = batched ? 2 : 0;
    const xs =
      k0 === 0 && k1 === k ? x : g.op('Slice', [x, g.constInt64([k0]), g.constInt64([k1]), g.constInt64([axis])]);
    if (!batched && acc !== null) acc = g.op('Gemm', [wName, xs, acc]);
    else {
      const prod = g.op('MatMul', [wName, xs]);
      acc = acc === null ? prod : g.op('Add', [acc, prod]);
    }
  }
  return acc as string;
}

function sliceLastAxis(data: Float32Array, dims: number[], k0: number, k1: number): Float32Array {
  const k = dims[dims.length - 1];
  const rows = data.length / k;
  const out = new Float32Array(rows * (k1 - k0));
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * k + k0, r * k + k1), r * (k1 - k0));
  return out;
}

/** Head on first-layer pre-activations h [B, N, H1, P] (bias not yet added). */
function head(g: GraphBuilder, h: string, f: FoldedEnsemble, s: EnsembleShape, outputs: HeadOutputs): HeadValues {
  const [h1] = s.hidden;
  const b1 = g.initFloat(g.fresh('b1'), f.b1, [s.members, h1, 1]);
  return emitHead(g, g.op('Relu', [g.op('Add', [h, b1])]), f, s, outputs);
}

/**
 * Head on first-layer activations a1 = ReLU(h + b1) [B, N, H1, P]: the second and third layers of every
 * member, softmax, vote and uncertainty. Returns the names of its values; callers declare outputs.
 */
export function emitHead(
  g: GraphBuilder,
  a1: string,
  f: FoldedEnsemble,
  s: EnsembleShape,
  outputs: HeadOutputs,
): HeadValues {
  const [h1, h2] = s.hidden;
  const n = s.members;
  const c = s.numClasses;
  const z2 = g.op('Add', [
    chainedProduct(g, f.w2t, [n, h2, h1], a1, null, 'w2t'),
    g.initFloat(g.fresh('b2'), f.b2, [n, h2, 1]),
  ]);
  const a2 = g.op('Relu', [z2]);
  const z3 = g.op('Add', [
    chainedProduct(g, f.w3t, [n, c, h2], a2, null, 'w3t'),
    g.initFloat(g.fresh('b3'), f.b3, [n, c, 1]),
  ]);
  const logp = g.op('LogSoftmax', [z3], { axis: 2 });
  const p = g.op('Exp', [logp]);
  const values: HeadValues = { label: '', uncertainty: '' };
  if (outputs === 'vote+probs') values.probs = p;
  const hEach = g.op('Neg', [g.op('ReduceSum', [g.op('Mul', [p, logp]), g.constInt64([2])], { keepdims: 0 })]); // [B, N, P]
  // Majority vote; among the classes with the most votes, the one of highest mean probability.
  const votes = g.op(
    'OneHot',
    [g.op('ArgMax', [z3], { axis: 2, keepdims: 0 }), g.constInt64([c], []), g.constFloat([0, 1], [2])],
    { axis: 2 },
  );
  const counts = g.op('ReduceSum', [votes, g.constInt64([1])], { keepdims: 0 }); // [B, C, P]
  if (outputs === 'vote+counts') values.counts = counts;
  const meanP = g.op('ReduceMean', [p], { axes: [1], keepdims: 0 }); // [B, C, P]
  const tied = g.op('Equal', [counts, g.op('ReduceMax', [counts], { axes: [1], keepdims: 1 })]);
  const pick = g.op('ArgMax', [g.op('Where', [tied, meanP, g.constFloat([-1], [])])], { axis: 1, keepdims: 0 });
  values.label = g.op('Cast', [pick], { to: 2 /* UINT8 */ });
  // Jensen–Shannon: entropy of the mean minus mean entropy (0·log 0 taken as 0).
  const logMean = g.op('Log', [g.op('Max', [meanP, g.constFloat([1e-30], [])])]);
  const hMean = g.op('Neg', [g.op('ReduceSum', [g.op('Mul', [meanP, logMean]), g.constInt64([1])], { keepdims: 0 })]);
  values.uncertainty = g.op('Sub', [hMean, g.op('ReduceMean', [hEach], { axes: [1], keepdims: 0 })]);
  return values;
}

/** Declares a head's values as the graph outputs label, uncertainty (and probs). */
function declareHead(g: GraphBuilder, v: HeadValues): void {
  g.op('Identity', [v.label], {}, 'label');
  g.output('label', 2, null);
  g.op('Identity', [v.uncertainty], {}, 'uncertainty');
  g.output('uncertainty', FLOAT, null);
  if (v.probs) {
    g.op('Identity', [v.probs], {}, 'probs');
    g.output('probs', FLOAT, null);
  }
  if (v.counts) {
    g.op('Identity', [v.counts], {}, 'counts');
    g.output('counts', FLOAT, null);
  }
}

/**
 * The first layer's weights for some input channels, as the right-hand matrix of a pixel-major product:
 * [Σ channels, N·H1], column m·H1 + o for member m's unit o. `ranges` are [offset, channels] in D.
 */
export function firstLayerColumns(f: FoldedEnsemble, s: EnsembleShape, ranges: [number, number][]): Float32Array {
  const width = s.members * s.hidden[0];
  const rows = ranges.reduce((a, [, c]) => a + c, 0);
  const out = new Float32Array(rows * width);
  let row = 0;
  for (const [offset, channels] of ranges) {
    for (let c = 0; c < channels; c++, row++) {
      for (let col = 0; col < width; col++) out[row * width + col] = f.w1t[col * s.inputDims + offset + c];
    }
  }
  return out;
}

/** The first layer's weights for some input channels, channel-first: [N·H1, Σ channels] (rows of w1t). */
export function firstLayerRows(f: FoldedEnsemble, s: EnsembleShape, ranges: [number, number][]): Float32Array {
  const width = s.members * s.hidden[0];
  const cols = ranges.reduce((a, [, c]) => a + c, 0);
  const out = new Float32Array(width * cols);
  for (let row = 0; row < width; row++) {
    let col = 0;
    for (const [offset, channels] of ranges) {
      out.set(f.w1t.subarray(row * s.inputDims + offset, row * s.inputDims + offset + channels), row * cols + col);
      col += channels;
    }
  }
  return out;
}

/**
 * The maps `${prefix}0` … [1, C_i, r, r] as one [Σ C_i, pixels] matrix: rows [start, end) of the maps
 * (flat pixel offsets, int64 [1] inputs) when given, the flat pixels `at` (int64 [n] input) when
 * given, else all of them: what one product reads.
 */
function mapRows(
  g: GraphBuilder,
  shapes: FeatureShape[],
  prefix: string,
  rows?: { start: string; end: string } | { at: string },
): string {
  const parts = shapes.map((fm, i) => {
    const x = g.input(`${prefix}${i}`, FLOAT, [1, fm.channels, fm.resolution, fm.resolution]);
    const flat = g.op('Reshape', [x, g.constInt64([fm.channels, -1])]);
    if (!rows) return flat;
    if ('at' in rows) return g.op('Gather', [flat, rows.at], { axis: 1 });
    return g.op('Slice', [flat, rows.start, rows.end, g.constInt64([1])]);
  });
  return parts.length > 1 ? g.op('Concat', parts, { axis: 0 }) : parts[0];
}

/** One resolution's maps and their first-layer weights as firstLayerColumns gives them. */
export interface ProjectedMaps {
  shapes: FeatureShape[];
  weights: Float32Array;
}

/**
 * Projections of map groups, channel-last for the upsampling kernel: for group k, inputs
 * f_k_i [1, C_i, r, r] and output q_k [pixels, N·H1] = Fᵀ·W. Whole maps, or (`banded`, one group) the
 * rows [start, end) given as int64 [1] inputs (flat source pixels, whole rows).
 */
export function buildProjectionModel(groups: ProjectedMaps[], width: number, banded: boolean): Uint8Array {
  const g = new GraphBuilder('q_');
  const rows = banded ? { start: g.input('start', INT64, [1]), end: g.input('end', INT64, [1]) } : undefined;
  groups.forEach((group, k) => {
    const channels = group.shapes.reduce((a, f) => a + f.channels, 0);
    const x = mapRows(g, group.shapes, `f_${k}_`, rows);
    g.op('Gemm', [x, g.initFloat(`w_${k}`, group.weights, [channels, width])], { transA: 1 }, `q_${k}`);
    g.output(`q_${k}`, FLOAT, ['P', width]);
  });
  return encodeModel(g.graph('dgs_interpreter_project'));
}

/** Maps f_i [1, C_i, r_i, r_i] resized to the label grid: outputs z_i [1, C_i, L, L] (Resize half_pixel). */
export function buildResizeModel(shapes: FeatureShape[], L: number): Uint8Array {
  const g = new GraphBuilder('z_');
  shapes.forEach((fm, i) => {
    const x = g.input(`f_${i}`, FLOAT, [1, fm.channels, fm.resolution, fm.resolution]);
    g.op(
      'Resize',
      [x, '', '', g.constInt64([1, fm.channels, L, L])],
      { mode: 'linear', coordinate_transformation_mode: 'half_pixel' },
      `z_${i}`,
    );
    g.output(`z_${i}`, FLOAT, [1, fm.channels, L, L]);
  });
  return encodeModel(g.graph('dgs_interpreter_resize'));
}

/**
 * One tile of label rows. Inputs: f_i [1, C_i, L, L] (maps at the label grid, as generated or resized),
 * start / end int64 [1] (flat label pixels, whole rows), or with `gathered` at int64 [P] (any flat
 * label pixels, the early-decided vote's open ones), and, when some maps are projected at their own
 * resolution, u [N·H1, P]: their resampled projections plus the first bias, channel-first (the
 * upsampling kernel's output; with `gathered` channel-last [P, N·H1], its pixels one by one). The first layer is h = W·F + u, then the head; outputs as `head` for the
 * tile's P pixels.
 */
export function buildTileModel(
  f: FoldedEnsemble,
  s: EnsembleShape,
  shapes: FeatureShape[],
  ranges: [number, number][],
  withUpsampled: boolean,
  outputs: HeadOutputs = 'vote',
  gathered = false,
): Uint8Array {
  const g = new GraphBuilder('t_');
  const width = s.members * s.hidden[0];
  const rows = gathered
    ? { at: g.input('at', INT64, ['P']) }
    : { start: g.input('start', INT64, [1]), end: g.input('end', INT64, [1]) };
  let u: string | null = null;
  if (withUpsampled && gathered) u = g.op('Transpose', [g.input('u', FLOAT, ['P', width])], { perm: [1, 0] });
  else if (withUpsampled) u = g.input('u', FLOAT, [width, 'P']);
  const atGrid = shapes.length > 0 ? mapRows(g, shapes, 'f_', rows) : null;
  declareHead(g, emitTile(g, f, s, ranges, atGrid, u, outputs));
  return encodeModel(g.graph('dgs_interpreter_tile'));
}

/**
 * The tile's first layer and head: h = W·F + u (u, the upsampled projections plus the first bias
 * [N·H1, P], added first; the bias alone when no map is projected), then ReLU and the head.
 * `atGrid` is the maps at the label grid for the tile's pixels [Σ C_i, P], or null when there are none.
 */
export function emitTile(
  g: GraphBuilder,
  f: FoldedEnsemble,
  s: EnsembleShape,
  ranges: [number, number][],
  atGrid: string | null,
  u: string | null,
  outputs: HeadOutputs,
): HeadValues {
  const [h1] = s.hidden;
  const width = s.members * h1;
  const c = u ?? g.initFloat(g.fresh('b1col'), f.b1, [width, 1]);
  let h = c;
  if (atGrid !== null) {
    const w = firstLayerRows(f, s, ranges);
    h = chainedProduct(g, w, [width, w.length / width], atGrid, c, 'w1');
  }
  const a1 = g.op('Reshape', [g.op('Relu', [h]), g.constInt64([1, s.members, h1, -1])]);
  return emitHead(g, a1, f, s, outputs);
}

/** Input x [P, D] of gathered pixel features. Outputs label [1, P] u8, uncertainty [1, P] (the naive path's head). */
export function buildPixelModel(f: FoldedEnsemble, s: EnsembleShape, outputs: HeadOutputs = 'vote'): Uint8Array {
  const g = new GraphBuilder('p_');
  const [h1] = s.hidden;
  const x = g.input('x', FLOAT, ['P', s.inputDims]);
  const xt = g.op('Transpose', [x], { perm: [1, 0] });
  const proj = g.op('MatMul', [g.initFloat('w1t', f.w1t, [s.members, h1, s.inputDims]), xt]); // [N, H1, P]
  declareHead(g, head(g, g.op('Unsqueeze', [proj, g.constInt64([0])]), f, s, outputs));
  return encodeModel(g.graph('dgs_interpreter_pixels'));
}
