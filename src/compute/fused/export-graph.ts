/**
 * `dgs export-graph`: the merged generator + labeler as a standalone ONNX file for users' training
 * loops (docs/export-graph.md). Its inputs and outputs are named and documented in the file, and the
 * class names and palette are in its metadata. It computes what `dgs generate` computes, so the same z
 * and ψ give the same image and label bytes on the CPU provider.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ExportedGraph, ExportGraphRequest, GraphValue } from '../../shared/compute-api';
import { UserError } from '../../shared/errors';
import type { TrainedInterpreter } from '../../shared/interpreter-types';
import type { ModelBundle } from '../../node/bundle/bundle';
import { writeLoneFileAtomic } from '../../node/dataset-writer/atomic-fs';
import { buildLabeledGraph } from './labeled-graph';

export const LABELED_GRAPH_FORMAT = 'dgs-labeled-graph';

/** The exported model's inputs and outputs, as its documentation and `dgs export-graph` state them. */
export function labeledGraphValues(zDim: number, R: number): { inputs: GraphValue[]; outputs: GraphValue[] } {
  return {
    inputs: [
      {
        name: 'z',
        type: 'float32',
        shape: ['N', zDim],
        doc: 'Latent codes, one row per sample; the studio draws row s from seed s (docs/rng.md, tools/dgs_rng.py).',
      },
      {
        name: 'psi',
        type: 'float64',
        shape: ['N'],
        doc: "Truncation ψ per sample (the project's default is in the metadata); 1 = no truncation.",
      },
    ],
    outputs: [
      { name: 'image', type: 'uint8', shape: ['N', 3, R, R], doc: 'RGB image, channels first, 0–255.' },
      { name: 'label', type: 'uint8', shape: ['N', R, R], doc: 'Class id per pixel (names in the metadata).' },
      {
        name: 'uncertainty',
        type: 'float32',
        shape: ['N', R, R],
        doc: "Jensen–Shannon divergence of the ensemble's members per pixel, in nats.",
      },
      {
        name: 'score',
        type: 'float64',
        shape: ['N'],
        doc: 'Mean of the top 10 % pixel uncertainties; `dgs generate --filter` drops the highest.',
      },
    ],
  };
}

/** Writes the labeled graph of a bundle and an interpreter to `req.file` (atomically; nothing on refusal). */
export async function writeLabeledGraph(
  bundle: ModelBundle,
  trained: TrainedInterpreter,
  interpreterId: string,
  req: ExportGraphRequest,
): Promise<ExportedGraph> {
  const m = bundle.manifest;
  const file = path.resolve(req.file);
  if (!/\.onnx$/i.test(file)) throw new UserError(`An ONNX model's file name ends in .onnx; got ${req.file}.`);
  if (fs.existsSync(file) && !req.overwrite)
    throw new UserError(`${file} exists already; choose another name, or ${req.replaceHint ?? 'allow replacing it'}.`);
  const R = req.resolution ?? m.resolution;
  const values = labeledGraphValues(m.zDim, R);
  const metadata: Record<string, string> = {
    'dgs.format': LABELED_GRAPH_FORMAT,
    'dgs.version': '1',
    'dgs.classes': JSON.stringify(req.classes.map((c) => c.name)),
    'dgs.palette': JSON.stringify(req.classes.map((c) => c.color)),
    'dgs.model': m.name,
    'dgs.model_sha256': bundle.sha256,
    'dgs.interpreter': interpreterId,
    'dgs.default_psi': String(req.psi),
    'dgs.z_dim': String(m.zDim),
    'dgs.resolution': String(R),
    'dgs.io': JSON.stringify(values),
  };
  const model = buildLabeledGraph({
    manifest: m,
    mapping: bundle.mapping,
    synthesis: bundle.synthesis,
    trained,
    start: 'z',
    imageLayout: 'nchw',
    resolution: R,
    docString: `DatasetGAN Studio labeled generator: ${m.name} with interpreter ${interpreterId}. z, psi → image, label, uncertainty, score. See docs/export-graph.md.`,
    metadata,
    valueDocs: Object.fromEntries([...values.inputs, ...values.outputs].map((v) => [v.name, v.doc])),
  });
  await writeLoneFileAtomic(file, model);
  return { file, bytes: model.byteLength, resolution: R, classes: req.classes.length, ...values };
}
