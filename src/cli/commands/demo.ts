import fs from 'node:fs';
import path from 'node:path';
import { buildDemoProject, checkDemoOut, demoPaths } from '../../engine/jobs/demo';
import { generateForProject } from '../../engine/jobs/generate-project';
import { latestTrained, trainProject } from '../../engine/jobs/train-project';
import { QUICK_TRAIN_OPTIONS } from '../../compute/interpreter';
import { Project } from '../../engine/project';
import { loadProjectGenerator } from '../../compute/project-model';
import { intOption, stringOption } from '../args';
import type { Command } from '../command';
import { formatSeconds, progressBar, trainingProgress } from '../progress';
import { describeSummary } from './generate';

export const demoCommand: Command = {
  words: ['demo'],
  summary: 'the whole flow on the built-in demo: train, generate, contact sheet',
  positionals: [0, 0],
  options: { out: { type: 'string' }, count: { type: 'string' }, provider: { type: 'string' } },
  usage: `
Usage: dgs demo [--out DIR] [--count N] [--provider auto|cpu|cuda]

Run the whole DatasetGAN flow on the built-in demo (cartoon faces, 10 part classes, 16 annotated
samples): build DIR/demo.dgs from the shipped files if it is missing, train its style interpreter if it
has none, generate N labeled samples (default 200) into DIR/dataset with COCO, VOC and YOLO files and a
contact sheet, and say where everything is. DIR defaults to ./dgs-demo. Running it again reuses what is
there.`,
  async run({ values, out, err }) {
    const t0 = Date.now();
    const outDir = path.resolve(stringOption(values.out) ?? 'dgs-demo');
    checkDemoOut(outDir);
    fs.mkdirSync(outDir, { recursive: true });
    const paths = demoPaths(outDir);
    const count = intOption(values.count, '--count', 1, 1_000_000, 200);
    let project: Project;
    if (fs.existsSync(paths.project)) {
      project = Project.open(paths.project);
      out(`Using the demo project ${paths.project}.`);
    } else {
      project = await buildDemoProject(paths.project);
      out(`Built the demo project ${paths.project}: ${project.listSamples().length} samples, ${project.listAnnotations().length} annotated.`);
    }
    try {
      const gen = await loadProjectGenerator(project, stringOption(values.provider));
      try {
        out(`Generator: ${gen.manifest.name}, ${gen.manifest.resolution}² on ${gen.provider.name} (${gen.provider.reason}).`);
        let trained = latestTrained(project, gen.bundle.sha256);
        if (trained) {
          out('The project already has a trained interpreter; using it.');
        } else {
          const bar = progressBar(err, 'training');
          // The official rule tracks early stopping only from the 5th epoch; the demo lets it act from the 2nd
          // so the whole demo fits in about two minutes on two cores (docs/interpreter.md, "quick").
          trained = await trainProject(project, gen, { options: QUICK_TRAIN_OPTIONS, onProgress: trainingProgress(bar) });
          bar.done();
          const m = trained.trained.metrics;
          out(`Trained the interpreter (${trained.trained.config.members} MLPs) in ${m.wallSeconds.toFixed(0)}s: cross-validated mIoU ${m.miou === null ? 'n/a' : `${(m.miou * 100).toFixed(1)} %`}.`);
        }
        const resume = fs.existsSync(paths.dataset) && fs.readdirSync(paths.dataset).length > 0;
        const bar = progressBar(err, 'generating');
        const summary = await generateForProject(project, gen, {
          outDir: paths.dataset,
          count,
          filter: 0.1,
          formats: ['coco', 'voc', 'yolo'],
          seed: 0,
          batch: 8,
          resume,
          onProgress: (p) => bar.update(p.done, p.total, `${p.done}/${p.total}, ETA ${formatSeconds(p.etaSeconds)}`),
        });
        bar.done();
        out(describeSummary(summary));
        out(`Contact sheet: ${path.join(paths.dataset, 'contact-sheet.png')}`);
        out(`Dataset card:  ${path.join(paths.dataset, 'README.md')}`);
        const rel = path.relative(process.cwd(), paths.project);
        const shown = rel.startsWith('..') ? paths.project : rel;
        out(`Done in ${((Date.now() - t0) / 1000).toFixed(0)}s. Next: \`npx dgs info ${shown}\`, or open the project in the app (npm start).`);
      } finally {
        await gen.close();
      }
    } finally {
      project.close();
    }
  },
};
