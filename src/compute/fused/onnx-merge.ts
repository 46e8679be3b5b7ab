/**
 * Putting several ONNX graphs into one: the bundle's mapping and synthesis graphs (decoded from the
 * bytes the project stores) are copied into a graph under construction with every name prefixed, so
 * they cannot collide with each other or with the labeler's; values are then wired together by name.
 * Also what the onnx-builder lacks for the merged model: float64 constants and model metadata.
 */
import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';
import { UserError } from '../../shared/errors';
import { OPSET, type GraphBuilder } from '../interpreter/onnx-builder';

const onnx = onnxProto.onnx;

/** Bundle graphs the merged model can hold: opsets whose operators mean what they mean at 17. */
const MIN_BUNDLE_OPSET = 13;

export function decodeModel(bytes: Uint8Array, what: string): O.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new UserError(
      `The ${what} is not an ONNX model (${e instanceof Error ? e.message : String(e)}); re-export the bundle.`,
    );
  }
}

/** The default-domain opset of a model. */
export function defaultOpset(model: O.IModelProto): number {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return Number(entry?.version ?? 0);
}

/**
 * The merged model's opset: the labeler's graphs are written for opset 17, and a bundle made for opsets
 * 13–17 means the same with them (the operators it may use did not change meaning in between).
 */
export function checkMergeable(models: { model: O.IModelProto; what: string }[]): void {
  for (const { model, what } of models) {
    const v = defaultOpset(model);
    if (v < MIN_BUNDLE_OPSET || v > OPSET) {
      throw new UserError(
        `The ${what} uses ONNX opset ${v}, but a labeled graph can be built only from opsets ${MIN_BUNDLE_OPSET}–${OPSET}; re-export the bundle with opset ${OPSET}.`,
      );
    }
    for (const o of model.opsetImport ?? []) {
      if (o.domain && o.domain !== 'ai.onnx')
        throw new UserError(
          `The ${what} uses operators of the "${o.domain}" domain, which a labeled graph cannot include; re-export the bundle with standard operators only.`,
        );
    }
  }
}

const renamed = (prefix: string, name: string | null | undefined) => (name ? `${prefix}${name}` : (name ?? ''));

function renameValueInfo(prefix: string, v: O.IValueInfoProto): O.IValueInfoProto {
  return { ...v, name: renamed(prefix, v.name) };
}

/** A copy of `graph` with every value, initializer and node name prefixed (subgraphs too). */
function renameGraph(prefix: string, graph: O.IGraphProto): O.IGraphProto {
  return {
    ...graph,
    node: (graph.node ?? []).map((n) => ({
      ...n,
      name: renamed(prefix, n.name),
      input: (n.input ?? []).map((x) => renamed(prefix, x)),
      output: (n.output ?? []).map((x) => renamed(prefix, x)),
      attribute: (n.attribute ?? []).map((a) => ({
        ...a,
        g: a.g ? renameGraph(prefix, a.g) : a.g,
        graphs: a.graphs ? a.graphs.map((sub) => renameGraph(prefix, sub)) : a.graphs,
      })),
    })),
    initializer: (graph.initializer ?? []).map((t) => ({ ...t, name: renamed(prefix, t.name) })),
    sparseInitializer: (graph.sparseInitializer ?? []).map((t) => ({
      ...t,
      values: t.values ? { ...t.values, name: renamed(prefix, t.values.name) } : t.values,
    })),
    input: (graph.input ?? []).map((v) => renameValueInfo(prefix, v)),
    output: (graph.output ?? []).map((v) => renameValueInfo(prefix, v)),
    valueInfo: (graph.valueInfo ?? []).map((v) => renameValueInfo(prefix, v)),
  };
}

/**
 * Copies a model's graph into `g` under `prefix`: its nodes and initializers (inputs that are
 * initializers stay constants). Returns the prefixed names of its graph inputs and outputs, by their
 * original names, for the caller to wire.
 */
export function embedGraph(
  g: GraphBuilder,
  model: O.IModelProto,
  prefix: string,
): { input: (name: string) => string; output: (name: string) => string } {
  const graph = renameGraph(prefix, model.graph ?? {});
  g.nodes.push(...(graph.node ?? []));
  g.initializers.push(...(graph.initializer ?? []));
  const named = (list: O.IValueInfoProto[] | null | undefined) => {
    const names = new Set((list ?? []).map((v) => v.name as string));
    return (name: string) => {
      const full = `${prefix}${name}`;
      if (!names.has(full)) throw new Error(`embedGraph: the graph has no value "${name}"`);
      return full;
    };
  };
  return { input: named(graph.input), output: named(graph.output) };
}

export interface ModelInfo {
  irVersion: number;
  docString?: string;
  metadata?: Record<string, string>;
  functions?: O.IFunctionProto[];
}

/** Serialises a merged graph as a model (opset 17) with its documentation and metadata. */
export function encodeMergedModel(graph: O.IGraphProto, info: ModelInfo): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: info.irVersion,
    producerName: 'datasetgan-studio',
    opsetImport: [{ domain: '', version: OPSET }],
    docString: info.docString ?? '',
    graph,
    functions: info.functions ?? [],
    metadataProps: Object.entries(info.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
