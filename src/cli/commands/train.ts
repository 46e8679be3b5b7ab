import { UserError } from '../../shared/errors';
import { QUICK_TRAIN_DEFAULTS } from '../../shared/interpreter-types';
import { floatOption, intOption, stringOption } from '../args';
import { describeQuality, erasedSentence } from '../quality-report';
import type { Command } from '../command';
import { JSON_PROGRESS_OPTION, jsonProgress, progressFor, trainingProgress } from '../progress';

export const trainCommand: Command = {
  words: ['train'],
  relaunch: true,
  summary: 'train the style interpreter on the annotated samples',
  positionals: [1, 1],
  options: {
    models: { type: 'string' },
    epochs: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    'cv-folds': { type: 'string' },
    rule: { type: 'string' },
    'min-class-fraction': { type: 'string' },
    json: { type: 'boolean' },
    quick: { type: 'boolean' },
    provider: { type: 'string' },
    ...JSON_PROGRESS_OPTION,
  },
  usage: `
Usage: dgs train <file.dgs> [--models N] [--rule heldout|official] [--epochs E] [--batch B] [--seed S]
                 [--cv-folds K|0] [--quick] [--min-class-fraction F] [--json] [--json-progress]
                 [--provider auto|cpu|cuda]

Train the style interpreter (an ensemble of N per-pixel MLPs, default 10, DatasetGAN's architecture and
optimiser: Adam 1e-3, batch 64) on the project's annotated samples. The ensemble is stored in the project
as soon as it is trained (pre-label, suggest and generate can use it), then a cross-validated report
(mIoU and IoU per class over 4 folds; --cv-folds K sets the folds, 0 skips it) is computed and stored with it.

--rule heldout draws each step's pixels at random from all annotations and stops a model when its loss
on a held-out pixel sample stops improving, after at least as many pixels as the official rule trains
on 24 annotations at 64² (6,144 steps): the steps do not grow with the image size. --rule official is DatasetGAN's:
epochs over every pixel (up to E = 100) and early stopping on the batch loss from the 5th epoch on — at
least 65,536 steps per model for 16 annotations at 256². Without --rule, a project whose annotations the
official rule would go over in no more steps than the heldout rule's floor (the demo: 16 at 64²; up to 24) trains by
the official rule, a larger one by the heldout rule. --quick lets either rule stop a
model from the 2nd epoch on (the official one on its batch loss). --json prints the report as JSON (miou, per_class, cleanup, ready_s,
wall_s, provider) when it is in, and the progress as JSON lines on stderr (as --json-progress), with a
line {"progress":"training","stored":ID} when the ensemble is stored.

Annotation cleanup: in each annotation a class covering less than F of the image becomes background
(a stray brush dot is not a class). F defaults to DatasetGAN's 30 pixels of a 512² image (1.14e-4), so
small parts of small images survive; --min-class-fraction sets it and keeps it as the project's setting.
A class the cleanup erases is named in a warning.`,
  async run({ positionals, values, out, err }) {
    const { OFFICIAL_TRAIN_OPTIONS } = await import('../../compute/interpreter');
    const { trainProject } = await import('../../engine/jobs/train-project');
    const { CLEANUP_SETTING } = await import('../../engine/project/model');
    const { interpreterStandings } = await import('../../engine/project/interpreter-choice');
    const { withInterrupt, withProject } = await import('../session');
    const members = intOption(values.models, '--models', 1, 64, 10);
    const maxEpochs = intOption(values.epochs, '--epochs', 1, 1000, 100);
    const cv = values['cv-folds'];
    const rule = stringOption(values.rule);
    if (rule !== undefined && rule !== 'heldout' && rule !== 'official')
      throw new UserError(`--rule must be heldout or official, not "${rule}".`);
    const options = {
      ...(rule === 'official' ? OFFICIAL_TRAIN_OPTIONS : rule === 'heldout' ? { rule: 'heldout' as const } : {}),
      ...(values.quick ? QUICK_TRAIN_DEFAULTS : {}),
      members,
      maxEpochs,
      ...(values.batch !== undefined ? { batchSize: intOption(values.batch, '--batch', 2, 65536, 64) } : {}),
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
      const t0 = Date.now();
      let readySeconds = 0;
      const { id, trained, report } = await withInterrupt((signal) =>
        trainProject(project, compute, {
          options,
          provider: stringOption(values.provider),
          signal,
          onProgress: trainingProgress(bar, options.cvFolds !== 0),
          onStored: (stored) => {
            readySeconds = (Date.now() - t0) / 1000;
            const m = stored.trained.metrics;
            if (values.json || values['json-progress'] === true)
              err.write(`${JSON.stringify({ progress: 'training', stored: stored.id, ready_s: readySeconds })}\n`);
            else {
              bar.done();
              out(
                `Interpreter ${stored.id.slice(0, 8)} is stored and ready to use (${stored.trained.config.members} models in ${m.wallSeconds.toFixed(0)}s)` +
                  (m.report === 'pending' ? '; its cross-validated report follows.' : '.'),
              );
            }
          },
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
              pixel_accuracy: m.pixelAccuracy ?? null,
              report: m.report ?? (m.folds ? 'done' : 'none'),
              ready_s: readySeconds,
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
        `Trained interpreter ${id.slice(0, 8)}: ${members} models on ${project.listAnnotations().length} annotated samples in ${m.wallSeconds.toFixed(1)}s on ${m.provider} (ready to use after ${readySeconds.toFixed(1)}s).`,
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
