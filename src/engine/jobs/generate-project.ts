/**
 * Generation on a project: the generator and the trained interpreter's labeler become the labeled
 * sample source the dataset writer streams from (src/engine/dataset-writer). The same job serves `dgs generate`,
 * `dgs demo` and the app's Generate button; it is recorded in the project as a generation run.
 */
import { UserError } from '../../shared/errors';
import type { Generator } from '../../compute/generator/generator';
import { createLabeler } from '../../compute/interpreter';
import { runGeneration, type GenerationOptions, type GenerationSummary, type LabeledSampleSource } from '../dataset-writer';
import type { Project } from '../project';
import { latestTrained } from './train-project';

export interface GenerateProjectOptions extends GenerationOptions {
  /** Truncation ψ; default the model's defaultPsi. */
  psi?: number;
}

export async function generateForProject(project: Project, gen: Generator, opts: GenerateProjectOptions): Promise<GenerationSummary> {
  const latest = latestTrained(project, gen.bundle.sha256);
  if (!latest) throw new UserError(`${project.path} has no trained interpreter for its model; run \`dgs train ${project.path}\` first.`);
  const { id: interpreterId, trained } = latest;
  const m = gen.manifest;
  const labelResolution = trained.config.labelResolution;
  if (labelResolution !== m.resolution) {
    throw new UserError(`The interpreter labels at ${labelResolution}² but the model makes ${m.resolution}² images; retrain it with \`dgs train\`.`);
  }
  const psi = opts.psi ?? m.defaultPsi;
  const labeler = await createLabeler(trained, m.features, labelResolution, [gen.provider.name]);
  const classes = project.listClasses().sort((a, b) => a.index - b.index).map((c) => ({ index: c.index, name: c.name, color: c.color }));
  const source: LabeledSampleSource = {
    info: {
      modelSha256: gen.bundle.sha256,
      interpreterId,
      psi,
      resolution: m.resolution,
      zDim: m.zDim,
      classes,
      interpreterQuality: trained.metrics,
    },
    async produce(seeds) {
      const batch = await gen.generate(seeds, psi, true);
      const labeled = await labeler.label(batch.features!);
      return seeds.map((seed, i) => ({
        seed,
        z: batch.z.subarray(i * m.zDim, (i + 1) * m.zDim),
        rgb: batch.images[i],
        labels: labeled.labels[i],
        score: labeled.score[i],
      }));
    },
  };
  const run = project.readonly ? null : project.addGenerationRun({ config: { ...opts, onProgress: undefined, signal: undefined, psi }, outDir: opts.outDir, interpreterId });
  const report = (status: 'running' | 'done' | 'cancelled' | 'failed', extra: { progress?: unknown; result?: unknown } = {}) => {
    if (run) project.updateGenerationRun(run.id, { status, ...extra });
  };
  report('running');
  let lastReport = 0;
  try {
    const summary = await runGeneration(source, {
      ...opts,
      onProgress: (p) => {
        opts.onProgress?.(p);
        // Recording progress is a write to the project file: a few times a minute is plenty.
        if (Date.now() - lastReport > 5000) {
          lastReport = Date.now();
          report('running', { progress: { done: p.done, total: p.total } });
        }
      },
    });
    report(summary.status === 'cancelled' ? 'cancelled' : 'done', { result: summary });
    return summary;
  } catch (e) {
    report('failed', { result: { error: e instanceof Error ? e.message : String(e) } });
    throw e;
  } finally {
    await labeler.dispose();
  }
}
