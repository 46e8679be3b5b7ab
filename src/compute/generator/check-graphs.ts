/**
 * A manifest must tell the truth about its graphs: names, ranks and every fixed dimension of inputs and
 * outputs are compared with what onnxruntime reads from the graphs, and the batch axis must be dynamic.
 * `verifyByForward` (generator.ts) then runs one sample and a batch of two, to compare the real output
 * shapes (catches graphs whose shapes are not declared, or whose batch is fixed inside).
 */
import type * as ort from 'onnxruntime-node';
import type { BundleManifest } from '../../shared/bundle-manifest';
import { UserError } from '../../shared/errors';

type Dims = readonly (number | string)[];

function tensorShape(meta: readonly ort.InferenceSession.ValueMetadata[], name: string): Dims | null {
  const m = meta.find((v) => v.name === name);
  if (!m) return null;
  return m.isTensor ? m.shape : [];
}

function sameKnownDims(actual: Dims, expected: readonly (number | null)[]): boolean {
  if (actual.length === 0) return true; // shape not declared in the graph: checked by the forward run
  if (actual.length !== expected.length) return false;
  return expected.every((e, i) => e === null || typeof actual[i] !== 'number' || actual[i] === e);
}

function fmt(d: readonly (number | string | null)[]): string {
  return `[${d.map((x) => (x === null ? 'batch' : String(x))).join(', ')}]`;
}

export interface GraphExpectation {
  graph: 'mapping' | 'synthesis';
  kind: 'input' | 'output';
  name: string;
  shape: (number | null)[];
}

/** What the manifest promises about each graph's inputs and outputs (null = the batch axis). */
export function expectedShapes(m: BundleManifest): GraphExpectation[] {
  const R = m.resolution;
  return [
    { graph: 'mapping', kind: 'input', name: m.graphs.mapping.input, shape: [null, m.zDim] },
    { graph: 'mapping', kind: 'output', name: m.graphs.mapping.output, shape: [null, m.wDim] },
    { graph: 'synthesis', kind: 'input', name: m.graphs.synthesis.input, shape: [null, m.numWs, m.wDim] },
    { graph: 'synthesis', kind: 'output', name: m.graphs.synthesis.imageOutput, shape: [null, m.imageChannels, R, R] },
    ...m.features.map((f) => ({
      graph: 'synthesis' as const,
      kind: 'output' as const,
      name: f.name,
      shape: [null, f.channels, f.resolution, f.resolution],
    })),
  ];
}

/** Compare declared graph signatures with the manifest; throws a UserError naming the first mismatch. */
export function checkGraphSignatures(
  m: BundleManifest,
  sessions: { mapping: ort.InferenceSession; synthesis: ort.InferenceSession },
  where: string,
): void {
  for (const e of expectedShapes(m)) {
    const s = sessions[e.graph];
    const meta = e.kind === 'input' ? s.inputMetadata : s.outputMetadata;
    const actual = tensorShape(meta, e.name);
    if (actual === null) {
      const names = (e.kind === 'input' ? s.inputNames : s.outputNames).join(', ');
      throw new UserError(
        `The manifest of ${where} names ${e.kind} "${e.name}" of the ${e.graph} graph, but that graph's ${e.kind}s are ${names}; re-export the bundle.`,
      );
    }
    if (actual.length > 0 && typeof actual[0] === 'number') {
      throw new UserError(
        `The ${e.graph} graph of ${where} has a fixed batch size of ${actual[0]} (${e.kind} "${e.name}" is ${fmt(actual)}), but generation runs several ` +
          `samples at once; ${REEXPORT}`,
      );
    }
    if (!sameKnownDims(actual, e.shape)) {
      throw new UserError(
        `The manifest of ${where} says ${e.graph} ${e.kind} "${e.name}" has shape ${fmt(e.shape)}, but the graph says ${fmt(actual)}; re-export the bundle.`,
      );
    }
  }
}

/** How to fix a graph whose batch axis is not dynamic. */
export const REEXPORT =
  're-export it with a dynamic first axis on every input and output (torch.onnx.export(..., dynamic_axes={name: {0: "batch"}}) ' +
  'and no reshape or grouped convolution that fixes the batch), e.g. with tools/stylegan/bundle_writer.py (docs/models.md, "Any other architecture").';

/** Compare real output shapes of a run on `batch` samples with the manifest. */
export function checkOutputShapes(
  m: BundleManifest,
  outputs: Record<string, ort.Tensor>,
  graph: 'mapping' | 'synthesis',
  where: string,
  batch = 1,
): void {
  for (const e of expectedShapes(m)) {
    if (e.graph !== graph || e.kind !== 'output') continue;
    const t = outputs[e.name];
    const want = e.shape.map((d) => (d === null ? batch : d));
    if (!t || t.dims.length !== want.length || t.dims.some((d, i) => d !== want[i])) {
      throw new UserError(
        `The manifest of ${where} says ${graph} output "${e.name}" has shape ${fmt(e.shape)}, but running it gave ${t ? fmt([...t.dims]) : 'nothing'}; re-export the bundle.`,
      );
    }
  }
}
