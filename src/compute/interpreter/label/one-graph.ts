/**
 * The labeler as one ONNX graph of standard operators (Loop, Gather, Mul, Add, Gemm, MatMul, TopK …):
 * feature maps [N, C, r, r] in, label [N, L, L] u8, uncertainty [N, L, L] and score [N] (float64) out. It runs on
 * any execution provider, and merged with the generator's graphs (src/compute/fused/) it keeps the maps
 * on the device that makes them.
 *
 * It computes what the streamed labeler (labeler.ts) computes, with the same float operations in the
 * same order, so the labels are the same bytes:
 * - an outer Loop over the batch; per image, the projections of the small maps (W·F at their own
 *   resolution, one Gemm per resolution) and the maps resized to the grid;
 * - an inner Loop over tiles of whole label rows (a divisor of L, so every tile has the same shape);
 *   per tile, the large maps' rows the tile needs are projected (a band of source rows), every
 *   projection is resampled as the WebAssembly kernel does it (tools/wasm/label-upsample.wat): the two
 *   source rows blended, w0·A + w1·B, then per output pixel (acc + w0·a) + w1·b, group after group,
 *   starting from the first bias; then the tile graph's product at the grid and the head (graph.ts);
 * - the score, the mean of the top 10 % pixel uncertainties, summed in double precision in the order
 *   metrics.ts sums them (the same bits).
 * Working memory is the per-image projections held whole plus one tile's intermediates, so it stays
 * bounded at 1024² (docs/interpreter.md).
 */
import { BOOL, DOUBLE, FLOAT, GraphBuilder, INT64, constDouble, encodeModel } from '../onnx-builder';
import type { EnsembleShape } from '../ensemble-params';
import type { FeatureShape } from '../../../shared/interpreter-types';
import { emitTile, firstLayerColumns, type FoldedEnsemble } from './graph';
import { planLabeling, type LabelerSizing, type LabelPlan, type ProjectedGroup } from './plan';

/** One graph holds one tile's intermediates at a time: larger tiles than the streamed labeler's, fewer runs of the loop body. */
export const ONE_GRAPH_TILE_BYTES = 64 * 1024 * 1024;
/** Projections up to this size are made once per image; larger ones per tile, from the rows the tile needs. */
export const ONE_GRAPH_WHOLE_BYTES = 96 * 1024 * 1024;

export interface LabelingGraphSpec {
  folded: FoldedEnsemble;
  shape: EnsembleShape;
  /** The maps, in the interpreter's order, at their native resolution. */
  features: FeatureShape[];
  labelResolution: number;
  sizing?: LabelerSizing;
}

/** Value names of the labeling graph's results in the graph it was emitted into. */
export interface LabelingValues {
  label: string;
  uncertainty: string;
  score: string;
}

/** The plan of the one-graph labeler: tiles of a divisor of L rows, so the loop's outputs stack. */
export function oneGraphPlan(spec: LabelingGraphSpec): LabelPlan {
  const L = spec.labelResolution;
  const width = spec.shape.members * spec.shape.hidden[0];
  const plan = planLabeling(spec.features, L, width, {
    tileBytes: spec.sizing?.tileBytes ?? ONE_GRAPH_TILE_BYTES,
    windowBytes: spec.sizing?.windowBytes ?? ONE_GRAPH_WHOLE_BYTES,
  });
  let rows = plan.tileRows;
  while (L % rows !== 0) rows--;
  return { ...plan, tileRows: rows };
}

function channelOffsets(features: FeatureShape[]): number[] {
  const offsets: number[] = [];
  features.reduce((a, f) => {
    offsets.push(a);
    return a + f.channels;
  }, 0);
  return offsets;
}

/** Per-tile tables of one projected group: the source rows each tile blends, and their weights. */
function groupTables(group: ProjectedGroup, L: number, T: number) {
  const tiles = L / T;
  const { i0, i1, lambda } = group.taps;
  const rowsA = new Array<number>(tiles * T);
  const rowsB = new Array<number>(tiles * T);
  const w0 = new Float32Array(tiles * T);
  const w1 = new Float32Array(tiles * T);
  const bandStart: number[] = [];
  const bandEnd: number[] = [];
  for (let t = 0; t < tiles; t++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let y = t * T; y < (t + 1) * T; y++) {
      lo = Math.min(lo, i0[y]);
      hi = Math.max(hi, i1[y]);
    }
    const base = group.whole ? 0 : lo;
    bandStart.push(lo * group.resolution);
    bandEnd.push((hi + 1) * group.resolution);
    for (let y = t * T; y < (t + 1) * T; y++) {
      rowsA[y] = i0[y] - base;
      rowsB[y] = i1[y] - base;
      w0[y] = 1 - lambda[y]; // rounded to float32 as the kernel's arguments are
      w1[y] = lambda[y];
    }
  }
  const cols = {
    j0: Array.from(i0),
    j1: Array.from(i1),
    w0: Float32Array.from(lambda, (l) => 1 - l),
    w1: Float32Array.from(lambda),
  };
  return { rowsA, rowsB, w0, w1, bandStart, bandEnd, cols };
}

/**
 * Emits the labeler into `root` for maps given as values [N, C_i, r_i, r_i] (the spec's features, in
 * order). Returns the names of label [N, L, L] u8, uncertainty [N, L, L] f32 and score [N] f64.
 */
export function emitLabeling(root: GraphBuilder, spec: LabelingGraphSpec, maps: string[]): LabelingValues {
  const { folded, shape, features } = spec;
  const L = spec.labelResolution;
  const plan = oneGraphPlan(spec);
  const T = plan.tileRows;
  const tiles = L / T;
  const P = T * L;
  const width = shape.members * shape.hidden[0];
  const offsets = channelOffsets(features);
  const atGrid = [...plan.direct, ...plan.resized];

  // Every map as [N, C, r·r], the view the slices read.
  const flat = maps.map((m, i) => root.op('Reshape', [m, root.constInt64([0, features[i].channels, -1])]));
  // A constant B of a Gemm is packed once for MLAS, which then sums in slices of 256 inputs, as the
  // streamed labeler's projections do; onnxruntime packs it only when the constant is in the graph of the
  // node that reads it (not two loops up), so each projection's weights live where they are used.
  const projectionWeights = (g: GraphBuilder, k: number) =>
    g.initFloat(
      g.fresh('w1proj'),
      firstLayerColumns(
        folded,
        shape,
        plan.groups[k].maps.map((i) => [offsets[i], features[i].channels]),
      ),
      [plan.groups[k].channels, width],
    );
  const tables = plan.groups.map((group) => groupTables(group, L, T));

  // ---- Per image (outer loop body) ----
  const go = new GraphBuilder('lbo_');
  const b = go.input(go.fresh('b'), INT64, []);
  const condIn = go.input(go.fresh('cond'), BOOL, []);
  const bFrom = go.op('Reshape', [b, go.constInt64([1])]);
  const bTo = go.op('Add', [bFrom, go.constInt64([1])]);
  /** Rows [from, to) of map i's flat pixels, for image b: [C, to − from]. */
  const imageSlice = (g: GraphBuilder, i: number, from: string, to: string) =>
    g.op('Reshape', [
      g.op('Slice', [
        flat[i],
        g.op('Concat', [bFrom, from], { axis: 0 }),
        g.op('Concat', [bTo, to], { axis: 0 }),
        g.constInt64([0, 2]),
      ]),
      g.constInt64([features[i].channels, -1]),
    ]);
  const project = (g: GraphBuilder, k: number, from: string, to: string) => {
    const group = plan.groups[k];
    const parts = group.maps.map((i) => imageSlice(g, i, from, to));
    const x = parts.length > 1 ? g.op('Concat', parts, { axis: 0 }) : parts[0];
    const q = g.op('Gemm', [x, projectionWeights(g, k)], { transA: 1 });
    return g.op('Reshape', [q, g.constInt64([-1, group.resolution, width])]);
  };
  const wholeFrom = go.constInt64([0]);
  const held = plan.groups.map((group, k) =>
    group.whole ? project(go, k, wholeFrom, go.constInt64([group.resolution * group.resolution])) : null,
  );
  const resized = new Map<number, string>();
  for (const i of plan.resized) {
    const f = features[i];
    const one = go.op('Reshape', [
      imageSlice(go, i, wholeFrom, go.constInt64([f.resolution * f.resolution])),
      go.constInt64([1, f.channels, f.resolution, f.resolution]),
    ]);
    const z = go.op('Resize', [one, '', '', go.constInt64([1, f.channels, L, L])], {
      mode: 'linear',
      coordinate_transformation_mode: 'half_pixel',
    });
    resized.set(i, go.op('Reshape', [z, go.constInt64([f.channels, L * L])]));
  }

  // ---- Per tile (inner loop body) ----
  const gi = new GraphBuilder('lbi_');
  const t = gi.input(gi.fresh('t'), INT64, []);
  const tileCond = gi.input(gi.fresh('cond'), BOOL, []);
  const row = (values: number[] | Float32Array, dims: number[], float: boolean) => {
    const table = float ? gi.constFloat(values, [tiles, ...dims]) : gi.constInt64(Array.from(values), [tiles, ...dims]);
    return gi.op('Gather', [table, t], { axis: 0 });
  };
  const pixelFrom = row(
    Array.from({ length: tiles }, (_, k) => k * P),
    [1],
    false,
  );
  const pixelTo = gi.op('Add', [pixelFrom, gi.constInt64([P])]);
  const gridParts = atGrid.map((i) =>
    resized.has(i)
      ? gi.op('Slice', [resized.get(i) as string, pixelFrom, pixelTo, gi.constInt64([1])])
      : imageSlice(gi, i, pixelFrom, pixelTo),
  );
  const grid =
    gridParts.length === 0 ? null : gridParts.length > 1 ? gi.op('Concat', gridParts, { axis: 0 }) : gridParts[0];
  let acc: string | null = null;
  plan.groups.forEach((group, k) => {
    const tb = tables[k];
    const q = held[k] ?? project(gi, k, row(tb.bandStart, [1], false), row(tb.bandEnd, [1], false));
    const blend = gi.op('Add', [
      gi.op('Mul', [gi.op('Gather', [q, row(tb.rowsA, [T], false)], { axis: 0 }), row(tb.w0, [T, 1, 1], true)]),
      gi.op('Mul', [gi.op('Gather', [q, row(tb.rowsB, [T], false)], { axis: 0 }), row(tb.w1, [T, 1, 1], true)]),
    ]); // [T, r, width]
    const tap = (j: number[], w: Float32Array) =>
      gi.op('Mul', [gi.op('Gather', [blend, gi.constInt64(j)], { axis: 1 }), gi.constFloat(w, [1, L, 1])]);
    const first = acc ?? gi.initFloat(gi.fresh('b1'), folded.b1, [width]);
    acc = gi.op('Add', [gi.op('Add', [first, tap(tb.cols.j0, tb.cols.w0)]), tap(tb.cols.j1, tb.cols.w1)]);
  });
  const u =
    acc === null ? null : gi.op('Transpose', [gi.op('Reshape', [acc, gi.constInt64([P, width])])], { perm: [1, 0] });
  const ranges = atGrid.map((i) => [offsets[i], features[i].channels] as [number, number]);
  const head = emitTile(gi, folded, shape, ranges, grid, u, 'vote');
  gi.output(gi.op('Identity', [tileCond]), BOOL, []);
  gi.output(head.label, 2, [1, P]);
  gi.output(head.uncertainty, FLOAT, [1, P]);
  const [tileLabels, tileUnc] = go.opMulti(
    'Loop',
    [go.constInt64([tiles], []), ''],
    [go.fresh('tile_labels'), go.fresh('tile_unc')],
    { body: gi.graph('label_tile') },
  );
  const label = go.op('Reshape', [tileLabels, go.constInt64([L, L])]);
  const uncertainty = go.op('Reshape', [tileUnc, go.constInt64([L, L])]);
  // The score as metrics.ts computes it: the top 10 % in ascending order, summed one by one in double
  // precision from zero (a reverse running sum over TopK's descending values), divided by k: the same bits.
  const k = Math.max(1, Math.floor(L * L * 0.1));
  const [top] = go.opMulti(
    'TopK',
    [go.op('Reshape', [uncertainty, go.constInt64([-1])]), go.constInt64([k])],
    [go.fresh('top'), go.fresh('top_idx')],
    { axis: 0, largest: 1, sorted: 1 },
  );
  const sums = go.op('CumSum', [go.op('Cast', [top], { to: DOUBLE }), go.constInt64([0], [])], { reverse: 1 });
  const total = go.op('Slice', [sums, go.constInt64([0]), go.constInt64([1])]);
  const score = go.op('Div', [total, constDouble(go, [k], [1], 'k')]);
  const condOut = go.op('Identity', [condIn]);
  go.output(condOut, BOOL, []);
  go.output(label, 2, [L, L]);
  go.output(uncertainty, FLOAT, [L, L]);
  go.output(score, DOUBLE, [1]);

  const n = root.op('Gather', [root.op('Shape', [maps[0]]), root.constInt64([0], [])], { axis: 0 });
  const [labels, uncertainties, scores] = root.opMulti(
    'Loop',
    [n, ''],
    [root.fresh('labels'), root.fresh('uncertainty'), root.fresh('scores')],
    { body: go.graph('label_image') },
  );
  return {
    label: labels,
    uncertainty: uncertainties,
    score: root.op('Reshape', [scores, root.constInt64([-1])]),
  };
}

/**
 * The labeler alone as a model: inputs f_i [N, C_i, r_i, r_i] (the features in order); outputs
 * label [N, L, L] u8, uncertainty [N, L, L] and score [N].
 */
export function buildLabelingModel(spec: LabelingGraphSpec): Uint8Array {
  const g = new GraphBuilder('lab_');
  const maps = spec.features.map((f, i) => g.input(`f_${i}`, FLOAT, ['N', f.channels, f.resolution, f.resolution]));
  const v = emitLabeling(g, spec, maps);
  const L = spec.labelResolution;
  g.op('Identity', [v.label], {}, 'label');
  g.op('Identity', [v.uncertainty], {}, 'uncertainty');
  g.op('Identity', [v.score], {}, 'score');
  g.output('label', 2, ['N', L, L]);
  g.output('uncertainty', FLOAT, ['N', L, L]);
  g.output('score', DOUBLE, ['N']);
  return encodeModel(g.graph('dgs_labeler'));
}
