import { QUICK_TRAIN_OPTIONS } from '../../compute/interpreter';
import { trainProject } from '../../engine/jobs/train-project';
import { intOption, stringOption } from '../args';
import type { Command } from '../command';
import { progressBar, trainingProgress } from '../progress';
import { withInterrupt, withProject } from '../session';

export const trainCommand: Command = {
  words: ['train'],
  summary: 'train the style interpreter on the annotated samples',
  positionals: [1, 1],
  options: {
    models: { type: 'string' },
    epochs: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    'cv-folds': { type: 'string' },
    json: { type: 'boolean' },
    quick: { type: 'boolean' },
    provider: { type: 'string' },
  },
  usage: `
Usage: dgs train <file.dgs> [--models N] [--epochs E] [--batch B] [--seed S] [--cv-folds K|0] [--quick] [--json] [--provider auto|cpu|cuda]

Train the style interpreter (an ensemble of N per-pixel MLPs, default 10, DatasetGAN's recipe: Adam
1e-3, batch 64, up to E = 100 epochs with early stopping) on the project's annotated samples, then
report cross-validated mIoU and IoU per class (leave-one-out up to 20 samples; --cv-folds 0 skips it).
The interpreter and its report are stored in the project. --quick lets early stopping act from the
2nd epoch instead of the 5th (several times faster, as the demo does). --json prints the report as JSON
(miou, per_class, wall_s, provider).`,
  async run({ positionals, values, out, err }) {
    const members = intOption(values.models, '--models', 1, 64, 10);
    const maxEpochs = intOption(values.epochs, '--epochs', 1, 1000, 100);
    const cv = values['cv-folds'];
    const options = {
      ...(values.quick ? QUICK_TRAIN_OPTIONS : {}),
      members,
      maxEpochs,
      batchSize: intOption(values.batch, '--batch', 2, 65536, 64),
      seed: intOption(values.seed, '--seed', 0, 0xffffffff, 0),
      ...(cv !== undefined ? { cvFolds: intOption(cv, '--cv-folds', 0, 1000, 0) } : {}),
    };
    await withProject(positionals[0], {}, async (project, compute) => {
      const bar = progressBar(err, 'training');
      const { id, trained } = await withInterrupt((signal) => trainProject(project, compute, {
        options, provider: stringOption(values.provider), signal, onProgress: trainingProgress(bar),
      }));
      bar.done();
      const m = trained.metrics;
      const classes = project.listClasses().sort((a, b) => a.index - b.index);
      const perClass = Object.fromEntries(classes.map((c) => [c.name, m.perClass[c.index] ?? null]));
      if (values.json) {
        out(JSON.stringify({ interpreter: id, miou: m.miou, per_class: perClass, folds: m.folds, wall_s: m.wallSeconds, cv_s: m.cvSeconds, provider: m.provider, members }, null, 2));
        return;
      }
      out(`Trained interpreter ${id.slice(0, 8)}: ${members} models on ${project.listAnnotations().length} annotated samples in ${m.wallSeconds.toFixed(1)}s on ${m.provider}.`);
      out(m.miou === null ? 'No cross-validation ran.' : `Cross-validated mIoU ${(m.miou * 100).toFixed(1)} % over ${m.folds} folds. IoU per class:`);
      if (m.miou !== null) {
        for (const c of classes) {
          const v = m.perClass[c.index];
          out(`  ${c.name.padEnd(24)} ${v === null || v === undefined ? '   n/a (not in the annotations)' : `${(v * 100).toFixed(1).padStart(5)} %`}`);
        }
      }
    });
  },
};
