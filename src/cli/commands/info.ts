import { Project } from '../../engine/project';
import { loadProjectGenerator } from '../../compute/project-model';
import { stringOption } from '../args';
import type { Command } from '../command';

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
    const project = Project.open(positionals[0], { readonly: true });
    try {
      const info = project.info();
      let provider: { name: string; reason: string } | null = null;
      if (info.model) {
        const gen = await loadProjectGenerator(project, stringOption(values.provider));
        provider = gen.provider;
        await gen.close();
      }
      const report = { file: project.path, ...info, executionProvider: provider };
      if (values.json) {
        out(JSON.stringify(report, null, 2));
        return;
      }
      out(`Project   ${info.name} (${project.path}), schema v${info.schemaVersion}`);
      out(info.model ? `Model     ${info.model.name} (${info.model.architecture}, ${info.model.resolution}², sha256 ${info.model.sha256.slice(0, 12)})` : 'Model     none');
      if (provider) out(`Provider  ${provider.name}: ${provider.reason}`);
      out(`Classes   ${info.classes.length}: ${info.classes.map((c) => c.name).join(', ')}`);
      const c = info.counts;
      out(`Counts    ${c.samples} samples, ${c.annotations} annotations, ${c.interpreters} interpreters, ${c.generationRuns} generation runs`);
    } finally {
      project.close();
    }
  },
};
