/**
 * The generator and the labeler as one ONNX model: z (or w) and ψ in; the 8-bit image, the label map,
 * the per-pixel uncertainty and the image's score out. The feature maps are values inside the model,
 * so on a GPU provider they never leave the device (docs/export-graph.md, "Copies per image").
 *
 * Every step computes what the app computes, in the same float operations:
 * - mapping: the bundle's graph, as it is;
 * - truncation w' = w_avg + ψ(w − w_avg) for the first truncationCutoff ws, in double precision and
 *   rounded to float32 (as Generator.truncate does in JavaScript); ψ = 1 passes w through;
 * - synthesis: the bundle's graph, as it is;
 * - the image: (x − lo)·255/(hi − lo) + 0.5, floored and clamped to 0…255, in double (src/shared/image.ts);
 * - the labeler: interpreter/label/one-graph.ts.
 */
import type { BundleManifest } from '../../shared/bundle-manifest';
import type { FeatureShape, TrainedInterpreter } from '../../shared/interpreter-types';
import { UserError } from '../../shared/errors';
import { DOUBLE, FLOAT, GraphBuilder, constDouble } from '../interpreter/onnx-builder';
import { deserializeEnsemble } from '../interpreter/ensemble-params';
import { foldEnsemble } from '../interpreter/label/graph';
import { ensembleShapeOf } from '../interpreter/label/labeler';
import { emitLabeling } from '../interpreter/label/one-graph';
import { checkMergeable, decodeModel, embedGraph, encodeMergedModel } from './onnx-merge';

const UINT8 = 2;

export interface LabeledGraphSpec {
  manifest: BundleManifest;
  /** The bundle's graphs, as the project stores them. */
  mapping: Uint8Array;
  synthesis: Uint8Array;
  trained: TrainedInterpreter;
  /** The latent the model starts from: z (seeds, generation) or w (stored samples). */
  start: 'z' | 'w';
  /** image [N, 3, H, W] (exported models) or [N, H, W, 3] (the app's interleaved RGB). */
  imageLayout: 'nchw' | 'nhwc';
  /** Image and label size: the model's resolution, or a divisor of it (images averaged down). */
  resolution?: number;
  docString?: string;
  metadata?: Record<string, string>;
  /** Documentation of the model's inputs and outputs, by name. */
  valueDocs?: Record<string, string>;
}

function sameFeatures(a: FeatureShape[], b: FeatureShape[]): boolean {
  return (
    a.length === b.length &&
    a.every((f, i) => f.name === b[i].name && f.channels === b[i].channels && f.resolution === b[i].resolution)
  );
}

/** ws [N, numWs, wDim] from w [N, wDim] and ψ [N] (float64), truncated as Generator.truncate does. */
function truncation(g: GraphBuilder, m: BundleManifest, w: string, psi: string): string {
  const psiCol = g.op('Unsqueeze', [psi, g.constInt64([1])]); // [N, 1]
  const avg = constDouble(g, m.wAvg, [m.wDim], 'w_avg');
  const wd = g.op('Cast', [w], { to: DOUBLE });
  const pulled = g.op('Cast', [g.op('Add', [avg, g.op('Mul', [psiCol, g.op('Sub', [wd, avg])])])], { to: FLOAT });
  const one = g.op('Equal', [psiCol, constDouble(g, [1], [], 'one')]);
  const truncated = g.op('Where', [one, w, pulled]);
  const layers = (x: string, count: number) =>
    g.op('Tile', [g.op('Unsqueeze', [x, g.constInt64([1])]), g.constInt64([1, count, 1])]);
  const cut = m.truncationCutoff;
  const parts = [layers(truncated, cut)];
  if (cut < m.numWs) parts.push(layers(w, m.numWs - cut));
  return parts.length > 1 ? g.op('Concat', parts, { axis: 1 }) : parts[0];
}

/** The float image [N, 3, R, R] as 8-bit values, rounded as planarToRgb8 rounds them. */
function toUint8(g: GraphBuilder, m: BundleManifest, image: string, layout: 'nchw' | 'nhwc'): string {
  const [lo, hi] = m.imageRange;
  const scaled = g.op('Mul', [
    g.op('Sub', [g.op('Cast', [image], { to: DOUBLE }), constDouble(g, [lo], [])]),
    constDouble(g, [255 / (hi - lo)], []),
  ]);
  const rounded = g.op('Floor', [g.op('Add', [scaled, constDouble(g, [0.5], [])])]);
  const clamped = g.op('Clip', [rounded, constDouble(g, [0], []), constDouble(g, [255], [])]);
  const bytes = g.op('Cast', [clamped], { to: UINT8 });
  return layout === 'nchw' ? bytes : g.op('Transpose', [bytes], { perm: [0, 2, 3, 1] });
}

/** The merged model's bytes. Throws UserError for an interpreter of another generator or an unusable size. */
export function buildLabeledGraph(spec: LabeledGraphSpec): Uint8Array {
  const m = spec.manifest;
  const c = spec.trained.config;
  if (!sameFeatures(m.features, c.features))
    throw new UserError("This interpreter was trained on another generator's feature maps; retrain it for this model.");
  const R = spec.resolution ?? m.resolution;
  if (!Number.isInteger(R) || R < 1 || R > m.resolution || m.resolution % R !== 0) {
    throw new UserError(
      `The resolution must divide the model's ${m.resolution} (for example ${m.resolution} or ${m.resolution / 2}); got ${R}.`,
    );
  }
  const mapping = decodeModel(spec.mapping, 'mapping graph');
  const synthesis = decodeModel(spec.synthesis, 'synthesis graph');
  checkMergeable([
    { model: mapping, what: 'mapping graph' },
    { model: synthesis, what: 'synthesis graph' },
  ]);

  const g = new GraphBuilder('dgs_');
  const psi = g.input('psi', DOUBLE, ['N']);
  let w: string;
  if (spec.start === 'z') {
    const z = g.input('z', FLOAT, ['N', m.zDim]);
    const map = embedGraph(g, mapping, 'mapping/');
    g.op('Identity', [z], {}, map.input(m.graphs.mapping.input));
    w = map.output(m.graphs.mapping.output);
  } else {
    w = g.input('w', FLOAT, ['N', m.wDim]);
  }
  const syn = embedGraph(g, synthesis, 'synthesis/');
  g.op('Identity', [truncation(g, m, w, psi)], {}, syn.input(m.graphs.synthesis.input));
  let image = syn.output(m.graphs.synthesis.imageOutput);
  if (R < m.resolution) {
    const s = m.resolution / R;
    image = g.op('AveragePool', [image], { kernel_shape: [s, s], strides: [s, s] });
  }
  g.op('Identity', [toUint8(g, m, image, spec.imageLayout)], {}, 'image');

  const shape = ensembleShapeOf(spec.trained);
  const labeled = emitLabeling(
    g,
    {
      folded: foldEnsemble(deserializeEnsemble(spec.trained.weights, shape), shape, c.bnEps),
      shape,
      features: c.features,
      labelResolution: R,
    },
    m.features.map((f) => syn.output(f.name)),
  );
  g.op('Identity', [labeled.label], {}, 'label');
  g.op('Identity', [labeled.uncertainty], {}, 'uncertainty');
  g.op('Identity', [labeled.score], {}, 'score');
  g.output('image', UINT8, spec.imageLayout === 'nchw' ? ['N', 3, R, R] : ['N', R, R, 3]);
  g.output('label', UINT8, ['N', R, R]);
  g.output('uncertainty', FLOAT, ['N', R, R]);
  g.output('score', DOUBLE, ['N']);
  for (const v of [...g.inputs, ...g.outputs]) {
    const doc = spec.valueDocs?.[v.name as string];
    if (doc) v.docString = doc;
  }
  return encodeMergedModel(g.graph('dgs_labeled_generator'), {
    irVersion: Math.max(8, Number(mapping.irVersion), Number(synthesis.irVersion)),
    docString: spec.docString,
    metadata: spec.metadata,
    functions: [...(mapping.functions ?? []), ...(synthesis.functions ?? [])],
  });
}
