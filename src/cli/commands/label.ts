import { importLabels, readLabelDir, exportLabels } from '../../engine/labels/label-files';
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
first (name, size, class ids); if any is wrong nothing is imported.`,
  async run({ positionals, values, out }) {
    const [file, dir] = positionals;
    const project = Project.open(file);
    try {
      const resolution = projectManifest(project).resolution;
      const pending = readLabelDir(project, dir, resolution);
      const n = importLabels(project, pending, resolution, stringOption(values.author));
      out(`Imported ${n} annotations from ${dir}.`);
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
