import { UserError } from '../../shared/errors';
import type { ExportedGraph } from '../../shared/compute-api';
import { exportGraphForProject } from '../../engine/jobs/export-graph';
import { intOption, stringOption } from '../args';
import type { Command } from '../command';
import { withProject } from '../session';

function shape(dims: (number | string)[]): string {
  return `[${dims.join(', ')}]`;
}

/** What was written, and the model's inputs and outputs, one per line. */
export function describeExport(r: ExportedGraph): string[] {
  return [
    `Wrote ${r.file} (${(r.bytes / 1e6).toFixed(1)} MB): ${r.resolution}² images and labels, ${r.classes} classes.`,
    ...r.inputs.map((v) => `  in   ${v.name.padEnd(12)} ${v.type.padEnd(8)} ${shape(v.shape)}  ${v.doc}`),
    ...r.outputs.map((v) => `  out  ${v.name.padEnd(12)} ${v.type.padEnd(8)} ${shape(v.shape)}  ${v.doc}`),
  ];
}

export const exportGraphCommand: Command = {
  words: ['export-graph'],
  summary: 'write the generator and interpreter as one ONNX model for training loops',
  positionals: [1, 1],
  options: {
    out: { type: 'string' },
    interpreter: { type: 'string' },
    resolution: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  usage: `
Usage: dgs export-graph <file.dgs> --out labeled.onnx [--interpreter ID] [--resolution R] [--force] [--json]

Write the project's generator and its newest interpreter (or --interpreter ID) as one ONNX model that
makes labeled samples: inputs z [N, zDim] (float32) and psi [N] (float64); outputs image uint8
[N, 3, R, R], label uint8 [N, R, R], uncertainty float32 [N, R, R] and score float64 [N]. The class names
and palette are in its metadata. The same z and ψ give \`dgs generate\`'s image and label bytes (sample k
of a run has the z of seed S + k). --resolution R (a divisor of the model's resolution) averages the
images down and labels on an R × R grid. An existing file is replaced only with --force. See
docs/export-graph.md for a PyTorch or onnxruntime data loader.`,
  async run({ positionals, values, out }) {
    const file = stringOption(values.out);
    if (!file) throw new UserError('dgs export-graph needs --out FILE.onnx.');
    const resolution =
      values.resolution === undefined ? undefined : intOption(values.resolution, '--resolution', 1, 65536, 0);
    await withProject(positionals[0], { readonly: true }, async (project, compute) => {
      const r = await exportGraphForProject(project, compute, {
        out: file,
        interpreterId: stringOption(values.interpreter),
        resolution,
        overwrite: values.force === true,
        replaceHint: 'pass --force to replace it',
        provider: 'cpu',
      });
      if (values.json) out(JSON.stringify(r, null, 2));
      else for (const line of describeExport(r)) out(line);
    });
  },
};
