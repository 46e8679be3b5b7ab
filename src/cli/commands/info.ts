import { stringOption } from '../args';
import type { Command } from '../command';

export const infoCommand: Command = {
  words: ['info'],
  summary: 'show what a project holds',
  positionals: [1, 1],
  options: { json: { type: 'boolean' }, samples: { type: 'boolean' }, provider: { type: 'string' } },
  usage: `
Usage: dgs info <file.dgs> [--json] [--samples] [--provider auto|cpu|cuda]

Show the project's model, label classes, counts of samples, annotations, interpreters and generation
runs, the interpreters (newest first; * marks the one generation, pre-label and suggest use, and
\`interpreters\` in --json says why each is or is not in use), who worked on it, unresolved merge conflicts (\`conflicts\`: [{sampleId, mine, theirs}] in --json),
and the execution provider its generator runs on and why. --samples lists every sample (id, seed, ψ,
annotated, assignee). Opens the file read-only; a file of an older
format is read through a migrated copy and left as it is.`,
  async run({ positionals, values, out }) {
    const { projectInfo } = await import('../../engine/jobs/project-info');
    const { withProject } = await import('../session');
    await withProject(positionals[0], { readonly: true }, async (project, compute) => {
      const report = await projectInfo(project, compute, stringOption(values.provider));
      const samples = values.samples
        ? project
            .listSamples()
            .map((s) => ({ id: s.id, seed: s.seed, psi: s.psi, annotated: s.annotated, assignee: s.assignee }))
        : undefined;
      if (values.json) {
        out(JSON.stringify(samples ? { ...report, samples } : report, null, 2));
        return;
      }
      const provider = report.executionProvider;
      const format =
        report.upgradedFrom === null
          ? `schema v${report.schemaVersion}`
          : `schema v${report.upgradedFrom}, read as v${report.schemaVersion}; a command that changes it upgrades it`;
      out(`Project   ${report.name} (${report.file}), ${format}`);
      out(
        report.model
          ? `Model     ${report.model.name} (${report.model.architecture}, ${report.model.resolution}², sha256 ${report.model.sha256.slice(0, 12)})`
          : 'Model     none',
      );
      if (provider) out(`Provider  ${provider.name}: ${provider.reason}`);
      out(`Classes   ${report.classes.length}: ${report.classes.map((c) => c.name).join(', ')}`);
      const c = report.counts;
      out(
        `Counts    ${c.samples} samples, ${c.annotations} annotations, ${c.interpreters} interpreters, ${c.generationRuns} generation runs`,
      );
      for (const [i, it] of report.interpreters.entries())
        out(
          `${i === 0 ? 'Interpreters' : '            '} ${it.inUse ? '*' : ' '} ${it.id.slice(0, 8)}  ${it.createdAt.slice(0, 16).replace('T', ' ')}  ${it.members} models, CV mIoU ${it.miou === null ? 'n/a' : it.miou.toFixed(3)}${it.inUse ? '  (in use)' : ''}`,
        );
      if (report.contributors.length) out(`Worked on by ${report.contributors.map((x) => x.name).join(', ')}`);
      if (report.conflicts.length) {
        out(
          `Conflicts ${report.conflicts.length} unresolved: ${report.conflicts.map((x) => `seed ${x.seed} (${x.mine.author ?? '?'} / ${x.theirs.author ?? '?'})`).join(', ')}`,
        );
      }
      for (const s of samples ?? [])
        out(
          `  ${s.id}  seed ${s.seed}, ψ ${s.psi}${s.annotated ? ', annotated' : ''}${s.assignee ? `, assigned to ${s.assignee}` : ''}`,
        );
    });
  },
};
