/**
 * A small helper to write ONNX graphs in TypeScript with the `onnx-proto` static protos. The
 * interpreter's training and inference graphs are built with it at run time, so their shapes (number of
 * members, feature maps, classes) always match the project, with no Python in the loop.
 */
import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';

// onnx-proto is CommonJS whose named export Node's ESM loader cannot detect: take it off the default.
const onnx = onnxProto.onnx;

export const OPSET = 17;
const IR_VERSION = 8;

type AttrValue = number | string | number[] | O.ITensorProto | O.IGraphProto;
export type Attrs = Record<string, AttrValue | { ints: number[] } | { floats: number[] } | { float: number }>;
export type Dim = number | string;

const DT = onnx.TensorProto.DataType;
export const FLOAT = DT.FLOAT;
export const INT64 = DT.INT64;
export const BOOL = DT.BOOL;
export const DOUBLE = DT.DOUBLE;

function attribute(name: string, v: Attrs[string]): O.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') {
    return Number.isInteger(v) ? { name, type: A.INT, i: v } : { name, type: A.FLOAT, f: v };
  }
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: A.INTS, ints: v };
  if ('ints' in v && Array.isArray(v.ints)) return { name, type: A.INTS, ints: v.ints };
  if ('floats' in v && Array.isArray(v.floats)) return { name, type: A.FLOATS, floats: v.floats };
  if ('float' in v && typeof v.float === 'number') return { name, type: A.FLOAT, f: v.float };
  if ('node' in v) return { name, type: A.GRAPH, g: v as O.IGraphProto };
  return { name, type: A.TENSOR, t: v as O.ITensorProto };
}

export function valueInfo(name: string, elemType: number, dims: Dim[] | null): O.IValueInfoProto {
  const shape =
    dims === null ? undefined : { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
  return { name, type: { tensorType: { elemType, shape } } };
}

/** A graph under construction. Node outputs get unique names from a counter, so callers name only I/O. */
export class GraphBuilder {
  readonly nodes: O.INodeProto[] = [];
  readonly initializers: O.ITensorProto[] = [];
  readonly inputs: O.IValueInfoProto[] = [];
  readonly outputs: O.IValueInfoProto[] = [];
  private counter = 0;

  constructor(private readonly prefix: string) {}

  fresh(hint: string): string {
    this.counter += 1;
    return `${this.prefix}${hint}_${this.counter}`;
  }

  /** Adds a node with one output and returns the output's name. */
  op(opType: string, inputs: string[], attrs: Attrs = {}, outName?: string): string {
    const out = outName ?? this.fresh(opType.toLowerCase());
    this.opMulti(opType, inputs, [out], attrs);
    return out;
  }

  opMulti(opType: string, inputs: string[], outputs: string[], attrs: Attrs = {}): string[] {
    this.nodes.push({
      opType,
      input: inputs,
      output: outputs,
      name: this.fresh(`n_${opType}`),
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outputs;
  }

  /** A float32 constant (stored as an initializer: constants are shared by every Loop iteration). */
  constFloat(values: number[] | Float32Array, dims: number[], hint = 'cf'): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dataType: FLOAT, dims, floatData: Array.from(values) });
    return name;
  }

  constInt64(values: number[], dims: number[] = [values.length], hint = 'ci'): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dataType: INT64, dims, int64Data: values });
    return name;
  }

  /** A float32 initializer from raw data (large weights: raw bytes keep the proto small and fast). */
  initFloat(name: string, data: Float32Array, dims: number[]): string {
    const raw = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    this.initializers.push({ name, dataType: FLOAT, dims, rawData: raw });
    return name;
  }

  input(name: string, elemType: number, dims: Dim[] | null): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  output(name: string, elemType: number, dims: Dim[] | null): string {
    this.outputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  graph(name: string): O.IGraphProto {
    return { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
  }
}

/** A float64 initializer (values the app computes in double precision: truncation, 8-bit rounding, scores). */
export function constDouble(g: GraphBuilder, values: number[], dims: number[], hint = 'cd'): string {
  const name = g.fresh(hint);
  const data = Float64Array.from(values);
  g.initializers.push({ name, dataType: DOUBLE, dims, rawData: new Uint8Array(data.buffer) });
  return name;
}

/** Serialises a graph as a standalone model (opset 17, IR 8) ready for `InferenceSession.create`. */
export function encodeModel(graph: O.IGraphProto): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'datasetgan-studio',
    opsetImport: [{ domain: '', version: OPSET }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
