import { floatOption, intOption, stringOption } from '../args';
import { describeQuality, erasedSentence } from '../quality-report';
import type { Command } from '../command';
import { JSON_PROGRESS_OPTION, jsonProgress, progressFor, trainingProgress } from '../progress';

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
    'min-class-fraction': { type: 'string' },
    json: { type: 'boolean' },
    quick: { type: 'boolean' },
    provider: { type: 'string' },
    ...JSON_PROGRESS_OPTION,
  },
  usage: `
Usage: dgs train <file.dgs> [--models N] [--epochs E] [--batch B] [--seed S] [--cv-folds K|0] [--quick]
                 [--min-class-fraction F] [--json] [--json-progress] [--provider auto|cpu|cuda]

Train the style interpreter (an ensemble of N per-pixel MLPs, default 10, DatasetGAN's recipe: Adam
1e-3, batch 64, up to E = 100 epochs with early stopping) on the project's annotated samples, then
report cross-validated mIoU and IoU per class (leave-one-out up to 20 samples; --cv-folds 0 skips it).
The interpreter and its report are stored in the project. --quick lets early stopping act from the
2nd epoch instead of the 5th (several times faster, as the demo does). --json prints the report as JSON
(miou, per_class, cleanup, wall_s, provider) and the progress as JSON lines on stderr (as --json-progress).

Annotation cleanup: in each annotation a class covering less than F of the image becomes background
(a stray brush dot is not a class). F defaults to DatasetGAN's 30 pixels of a 512² image (1.14e-4), so
small parts of small images survive; --min-class-fraction sets it and keeps it as the project's setting.
A class the cleanup erases is named in a warning.`,
  async run({ positionals, values, out, err }) {
    const { QUICK_TRAIN_OPTIONS } = await import('../../compute/interpreter');
    const { trainProject } = await import('../../engine/jobs/train-project');
    const { CLEANUP_SETTING } = await import('../../engine/project/model');
    const { interpreterStandings } = await import('../../engine/project/interpreter-choice');
    const { withInterrupt, withProject } = await import('../session');
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
    const fraction =
      values['min-class-fraction'] === undefined
        ? undefined
        : floatOption(values['min-class-fraction'], '--min-class-fraction', 0, 0.5, 0);
    await withProject(positionals[0], { provider: stringOption(values.provider), err }, async (project, compute) => {
      if (fraction !== undefined) project.setSetting(CLEANUP_SETTING, fraction);
      const bar = values.json ? jsonProgress(err, 'training') : progressFor(values, err, 'training');
      const { id, trained, report } = await withInterrupt((signal) =>
        trainProject(project, compute, {
          options,
          provider: stringOption(values.provider),
          signal,
          onProgress: trainingProgress(bar),
        }),
      );
      bar.done();
      const m = trained.metrics;
      const classes = project.listClasses().sort((a, b) => a.index - b.index);
      const perClass = Object.fromEntries(classes.map((c) => [c.name, m.perClass[c.index] ?? null]));
      if (values.json) {
        const cleanup = m.cleanup
          ? {
              min_class_fraction: m.cleanup.minClassFraction,
              min_class_pixels: m.cleanup.minClassPixels,
              erased: report.erased.map((e) => ({ sample: e.sampleId, class: e.className, pixels: e.pixels })),
            }
          : null;
        out(
          JSON.stringify(
            {
              interpreter: id,
              miou: m.miou,
              per_class: perClass,
              folds: m.folds,
              cleanup,
              wall_s: m.wallSeconds,
              cv_s: m.cvSeconds,
              provider: m.provider,
              members,
            },
            null,
            2,
          ),
        );
        for (const e of report.erased) err.write(`dgs: warning: ${erasedSentence(e)}.\n`);
        return;
      }
      out(
        `Trained interpreter ${id.slice(0, 8)}: ${members} models on ${project.listAnnotations().length} annotated samples in ${m.wallSeconds.toFixed(1)}s on ${m.provider}.`,
      );
      describeQuality(report, out, err);
      const mine = interpreterStandings(project, project.getModel()!.sha256).find((s) => s.id === id);
      if (mine && !mine.inUse)
        out(
          `${mine.note} Generation and pre-label keep the interpreter in use (\`dgs info\` marks it); \`--interpreter ${id.slice(0, 8)}\` uses this one for one command.`,
        );
    });
  },
};
