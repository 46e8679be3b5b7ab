import { projectInfo } from '../../engine/jobs/project-info';
import { stringOption } from '../args';
import type { Command } from '../command';
import { withProject } from '../session';

export const infoCommand: Command = {
  words: ['info'],
  summary: 'show what a project holds',
  positionals: [1, 1],
  options: { json: { type: 'boolean' }, provider: { type: 'string' } },
  usage: `
Usage: dgs info <file.dgs> [--json] [--provider auto|cpu|cuda]

Show the project's model, label classes, counts of samples, annotations, interpreters and generation
runs, and the execution provider its generator runs on and why. Opens the file read-only.`,
  async run({ positionals, values, out }) {
    await withProject(positionals[0], { readonly: true }, async (project, compute) => {
      const report = await projectInfo(project, compute, stringOption(values.provider));
      if (values.json) {
        out(JSON.stringify(report, null, 2));
        return;
      }
      const provider = report.executionProvider;
      out(`Project   ${report.name} (${report.file}), schema v${report.schemaVersion}`);
      out(report.model ? `Model     ${report.model.name} (${report.model.architecture}, ${report.model.resolution}², sha256 ${report.model.sha256.slice(0, 12)})` : 'Model     none');
      if (provider) out(`Provider  ${provider.name}: ${provider.reason}`);
      out(`Classes   ${report.classes.length}: ${report.classes.map((c) => c.name).join(', ')}`);
      const c = report.counts;
      out(`Counts    ${c.samples} samples, ${c.annotations} annotations, ${c.interpreters} interpreters, ${c.generationRuns} generation runs`);
    });
  },
};
