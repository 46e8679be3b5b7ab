import { stringOption } from '../args';
import { requireAuthor } from '../author';
import type { Command } from '../command';
import { UserError } from '../../shared/errors';
import { plural } from '../../shared/plural';

export const labelImportCommand: Command = {
  words: ['label', 'import'],
  summary: 'import label PNGs or COCO JSON as annotations',
  positionals: [2, 2],
  options: { author: { type: 'string' } },
  usage: `
Usage: dgs label import <file.dgs> <DIR | annotations.json> [--author NAME]

Read DIR/<sample id>.png (or DIR/seed-<seed>.png) label maps, the size of the model's images, and store
each as its sample's annotation by NAME (default: $DGS_AUTHOR, or the name you gave before; asked once).
A pixel's class id is its greyscale value (any bit depth, 1 to 16) or, in a palette PNG whose colours
are the project's class colours, its index. A .json file is read as COCO (as CVAT, Label Studio or
dgs generate export it): polygons and RLE masks, images matched to samples by file name
(<sample id>.<ext> or seed-<seed>.<ext>), categories to classes by name; polygons are kept for editing.
Class ids are the positions of the project's classes (\`dgs info\` lists them); a warning says when the
ids look shifted by one.
Every file is checked first (names, sizes, class ids) and the import is one transaction: if anything is
wrong, or the command is interrupted, nothing is imported.`,
  async run({ positionals, values, out, err }) {
    const [file, dir] = positionals;
    const { readCocoLabels } = await import('../../engine/labels/coco-import');
    const { importLabels, readLabelDir, shiftedIdsWarning } = await import('../../engine/labels/label-files');
    const { checkedModel, projectManifest } = await import('../../engine/project/model');
    const { withProjectFile } = await import('../session');
    const author = await requireAuthor(values, 'dgs label import');
    await withProjectFile(file, { author }, async (project) => {
      // Labels are checked against the model's resolution, and kept only for a model that is intact.
      checkedModel(project);
      const resolution = projectManifest(project).resolution;
      const coco = dir.toLowerCase().endsWith('.json');
      const pending = coco ? readCocoLabels(project, dir, resolution) : readLabelDir(project, dir, resolution);
      const n = importLabels(project, pending, resolution, author);
      out(`Imported ${plural(n, 'annotation')} from ${dir} as ${author}.`);
      const shifted = shiftedIdsWarning(project, pending);
      if (shifted) err.write(`dgs: warning: ${shifted}\n`);
    });
  },
};

export const labelExportCommand: Command = {
  words: ['label', 'export'],
  summary: 'write sample images and label PNGs',
  positionals: [1, 1],
  options: { out: { type: 'string' }, names: { type: 'string' }, provider: { type: 'string' } },
  usage: `
Usage: dgs label export <file.dgs> --out DIR [--names id|seed] [--provider auto|cpu|cuda]

Write DIR/images/<id>.png for every sample (regenerated from its stored w and ψ) and
DIR/labels/<id>.png (greyscale class ids) for each annotated one; DIR/labels imports straight back.
--names seed names them seed-<seed>.png, as the studio shows samples (and as its Export labels does),
keeping <id>.png for a seed the project holds at several ψ.`,
  async run({ positionals, values, out, err }) {
    const outDir = stringOption(values.out);
    if (!outDir) throw new UserError('dgs label export needs --out DIR.');
    const naming = stringOption(values.names) ?? 'id';
    if (naming !== 'id' && naming !== 'seed') throw new UserError(`--names takes id or seed; got "${naming}".`);
    const { exportLabels } = await import('../../engine/labels/label-files');
    const { withProject } = await import('../session');
    await withProject(
      positionals[0],
      { readonly: true, provider: stringOption(values.provider), err },
      async (project, compute) => {
        const r = await exportLabels(project, compute, outDir, { provider: stringOption(values.provider), naming });
        out(`Wrote ${r.images} images and ${r.labels} label maps to ${outDir}.`);
      },
    );
  },
};
