import path from 'node:path';
import { intOption, stringOption } from '../args';
import type { Command } from '../command';
import { JSON_PROGRESS_OPTION, formatSeconds, progressFor, trainingProgress, type ProgressBar } from '../progress';
import { describeSummary } from './generate';
import { describeQuality } from '../quality-report';

export const demoCommand: Command = {
  words: ['demo'],
  relaunch: true,
  summary: 'the whole flow on the built-in demo: train, generate, contact sheet',
  positionals: [0, 0],
  options: {
    out: { type: 'string' },
    count: { type: 'string' },
    provider: { type: 'string' },
    ...JSON_PROGRESS_OPTION,
  },
  usage: `
Usage: dgs demo [--out DIR] [--count N] [--provider auto|cpu|cuda] [--json-progress]

Run the whole DatasetGAN flow on the built-in demo (cartoon faces, 10 part classes, 16 annotated
samples): build DIR/demo.dgs from the shipped files if it is missing, train its style interpreter if it
has none, generate N labeled samples (default 200) into DIR/dataset with COCO, VOC and YOLO files and a
contact sheet, and say where everything is. DIR defaults to ./dgs-demo. Running it again reuses what is
there.`,
  async run({ values, out, err }) {
    const { runDemo } = await import('../../engine/jobs/demo');
    const { withCompute, withInterrupt } = await import('../session');
    const t0 = Date.now();
    const count = intOption(values.count, '--count', 1, 1_000_000, 200);
    let training: { bar: ProgressBar; on: ReturnType<typeof trainingProgress> } | null = null;
    let generating: ProgressBar | null = null;
    const result = await withInterrupt((signal) =>
      withCompute((compute) =>
        runDemo(compute, {
          outDir: stringOption(values.out) ?? 'dgs-demo',
          count,
          provider: stringOption(values.provider),
          // The official recipe: the quicker one (early stopping from the 2nd epoch) stops before the small
          // parts are learned (nose, eyes, brows: docs/benchmarks.md, "Demo quality").
          trainOptions: {},
          signal,
          onEvent: (e) => {
            switch (e.type) {
              case 'project':
                out(
                  e.built
                    ? `Built the demo project ${e.file}: ${e.samples} samples, ${e.annotated} annotated.`
                    : `Using the demo project ${e.file}.`,
                );
                break;
              case 'generator':
                out(`Generator: ${e.name}, ${e.resolution}² on ${e.provider} (${e.reason}).`);
                break;
              case 'training':
                if (!training) {
                  const bar = progressFor(values, err, 'training');
                  training = { bar, on: trainingProgress(bar, true) };
                }
                training.on(e.progress);
                break;
              case 'trained': {
                training?.bar.done();
                const m = e.metrics;
                out(
                  e.reused
                    ? 'The project already has a trained interpreter; using it.'
                    : `Trained the interpreter (${e.members} MLPs) in ${m.wallSeconds.toFixed(0)}s.`,
                );
                describeQuality(e.report, out, err);
                break;
              }
              case 'generating':
                generating ??= progressFor(values, err, 'generating');
                generating.update(
                  e.progress.done,
                  e.progress.total,
                  `${e.progress.done}/${e.progress.total}, ETA ${formatSeconds(e.progress.etaSeconds)}`,
                );
                break;
            }
          },
        }),
      ),
    );
    (generating as ProgressBar | null)?.done();
    out(describeSummary(result.summary));
    out(`Contact sheet: ${path.join(result.dataset, 'contact-sheet.png')}`);
    out(`Dataset card:  ${path.join(result.dataset, 'README.md')}`);
    const rel = path.relative(process.cwd(), result.project);
    const shown = rel.startsWith('..') ? result.project : rel;
    out(
      `Done in ${((Date.now() - t0) / 1000).toFixed(0)}s. Next: \`npx dgs info ${shown}\`, or open the project in the app (npm start).`,
    );
  },
};
