import { importLabels, readLabelDir, exportLabels, shiftedIdsWarning } from '../../engine/labels/label-files';
import { Project } from '../../engine/project';
import { projectManifest } from '../../engine/project-model';
import { stringOption } from '../args';
import type { Command } from '../command';
import { UserError } from '../../shared/errors';
import { withProject } from '../session';

export const labelImportCommand: Command = {
  words: ['label', 'import'],
  summary: 'import label PNGs as annotations',
  positionals: [2, 2],
  options: { author: { type: 'string' } },
  usage: `
Usage: dgs label import <file.dgs> <DIR> [--author NAME]

Read DIR/<sample id>.png (or DIR/seed-<seed>.png) label maps — 8-bit greyscale, pixel value = class id,
the size of the model's images — and store each as its sample's annotation. Every file is checked
first (name, size, class ids); if any is wrong nothing is imported. Class ids are the positions of the
project's classes (\`dgs info\` lists them); a warning says when the ids look shifted by one.`,
  async run({ positionals, values, out, err }) {
    const [file, dir] = positionals;
    const project = Project.open(file);
    try {
      const resolution = projectManifest(project).resolution;
      const pending = readLabelDir(project, dir, resolution);
      const n = importLabels(project, pending, resolution, stringOption(values.author));
      out(`Imported ${n} annotations from ${dir}.`);
      const shifted = shiftedIdsWarning(project, pending);
      if (shifted) err.write(`dgs: warning: ${shifted}\n`);
    } finally {
      project.close();
    }
  },
};

export const labelExportCommand: Command = {
  words: ['label', 'export'],
  summary: 'write sample images and label PNGs',
  positionals: [1, 1],
  options: { out: { type: 'string' }, provider: { type: 'string' } },
  usage: `
Usage: dgs label export <file.dgs> --out DIR [--provider auto|cpu|cuda]

Write DIR/images/<id>.png for every sample (regenerated from its stored w and ψ) and
DIR/labels/<id>.png (greyscale class ids) for each annotated one; DIR/labels imports straight back.`,
  async run({ positionals, values, out }) {
    const outDir = stringOption(values.out);
    if (!outDir) throw new UserError('dgs label export needs --out DIR.');
    await withProject(positionals[0], { readonly: true }, async (project, compute) => {
      const r = await exportLabels(project, compute, outDir, { provider: stringOption(values.provider) });
      out(`Wrote ${r.images} images and ${r.labels} label maps to ${outDir}.`);
    });
  },
};
