/**
 * Train a project's style interpreter: the annotated samples' latents and label maps go to compute,
 * which regenerates their feature maps and trains the ensemble; its weights are stored in the project as
 * soon as they are back (pre-label, suggest and generate can use it from then on), and its
 * cross-validated report, which compute trains next on the same samples, is stored with it when it arrives.
 */
import type { Compute, TrainSample } from '../../shared/compute-api';
import { UserError } from '../../shared/errors';
import type {
  InterpreterMetrics,
  InterpreterProgress,
  InterpreterTrainOptions,
  TrainedInterpreter,
} from '../../shared/interpreter-types';
import { withReport } from '../../shared/interpreter-types';
import type { Project } from '../project';
import { projectCleanupFraction, projectModel } from '../project/model';
import { newId } from '../project/store';

export interface TrainProjectOptions {
  options?: Partial<InterpreterTrainOptions>;
  onProgress?: (e: InterpreterProgress) => void;
  signal?: AbortSignal;
  provider?: string;
  /** The ensemble is stored and usable; its report (metrics `report: 'pending'`) follows. */
  onStored?: (stored: { id: string; trained: TrainedInterpreter }) => void;
}

export function numClassesOf(project: Project): number {
  return project.listClasses().reduce((m, c) => Math.max(m, c.index + 1), 0);
}

/** Every annotation with its sample's latents, checked against the model's resolution. */
export function trainingSamples(project: Project, resolution: number): TrainSample[] {
  return project.listAnnotations().map(({ sampleId }) => {
    const sample = project.getSample(sampleId);
    const annotation = project.getAnnotation(sampleId);
    if (!sample || !annotation)
      throw new UserError(`Annotated sample ${sampleId} vanished from ${project.path}; train again.`);
    if (annotation.width !== resolution || annotation.height !== resolution) {
      throw new UserError(
        `The annotation of sample ${sampleId} is ${annotation.width}×${annotation.height} but the model makes ${resolution}×${resolution} images; re-import it.`,
      );
    }
    return { w: project.getLatents(sampleId).w, psi: sample.psi, labels: annotation.labelMap };
  });
}

/** The quality report in the project's words: class names, and which annotation lost which class to the cleanup. */
export interface QualityReport {
  classes: { index: number; name: string }[];
  metrics: InterpreterMetrics;
  /** Classes the cleanup erased from an annotation (empty when nothing was, or for older interpreters). */
  erased: { sampleId: string; className: string; pixels: number }[];
}

export function qualityReport(project: Project, metrics: InterpreterMetrics): QualityReport {
  const classes = project
    .listClasses()
    .sort((a, b) => a.index - b.index)
    .map((c) => ({ index: c.index, name: c.name }));
  const annotations = project.listAnnotations();
  const erased = (metrics.cleanup?.erased ?? []).map((e) => ({
    sampleId: annotations[e.annotation]?.sampleId ?? `#${e.annotation + 1}`,
    className: classes.find((c) => c.index === e.classId)?.name ?? `class ${e.classId}`,
    pixels: e.pixels,
  }));
  return { classes, metrics, erased };
}

export async function trainProject(
  project: Project,
  compute: Compute,
  opts: TrainProjectOptions = {},
): Promise<{ id: string; trained: TrainedInterpreter; report: QualityReport }> {
  const { ref, manifest } = projectModel(project, opts.provider);
  const samples = trainingSamples(project, manifest.resolution);
  if (samples.length < 2) {
    throw new UserError(
      `${project.path} has ${samples.length} annotated sample(s); annotate at least 2 (DatasetGAN uses 16–30) before training.`,
    );
  }
  const request = {
    samples,
    labelResolution: manifest.resolution,
    numClasses: numClassesOf(project),
    // The project's cleanup threshold unless the caller gives one.
    options: { minClassFraction: projectCleanupFraction(project), ...opts.options },
  };
  const ctl = { onProgress: opts.onProgress, signal: opts.signal };
  // Compute keeps the result under the id it is stored with, so labeling with it next needs no reload.
  const id = newId();
  const trained = await compute.train(ref, { ...request, keepAs: id }, ctl);
  project.saveInterpreter({
    id,
    config: trained.config,
    weights: trained.weights,
    metrics: trained.metrics,
    provider: trained.metrics.provider,
    wallSeconds: trained.metrics.wallSeconds,
  });
  opts.onStored?.({ id, trained });
  if (trained.metrics.report !== 'pending') return { id, trained, report: qualityReport(project, trained.metrics) };
  let metrics: InterpreterMetrics;
  try {
    metrics = withReport(trained.metrics, await compute.crossValidate(ref, { ...request, interpreter: id }, ctl));
  } catch (e) {
    // The ensemble stays stored and usable; its record says the report will not come.
    project.updateInterpreterMetrics(id, { ...trained.metrics, report: 'stopped' });
    throw e;
  }
  project.updateInterpreterMetrics(id, metrics);
  return { id, trained: { ...trained, metrics }, report: qualityReport(project, metrics) };
}

/**
 * A quick cross-validated check of the annotations so far (the canvas's per-class IoU panel): a few folds
 * of one small member each, no final model, and nothing stored. It says which classes need more
 * examples; the Train screen's report is the real measure.
 */
export async function quickCrossValidation(
  project: Project,
  compute: Compute,
  opts: Omit<TrainProjectOptions, 'options'> = {},
): Promise<{ miou: number | null; perClass: (number | null)[]; annotated: number }> {
  const { ref, manifest } = projectModel(project, opts.provider);
  const samples = trainingSamples(project, manifest.resolution);
  if (samples.length < 2) throw new UserError('Annotate at least 2 samples for a cross-validated check.');
  // Folds of one member each, trained together (stacks hold up to `members` members), by the default rule with a cap.
  const folds = Math.min(samples.length, 4);
  const report = await compute.crossValidate(
    ref,
    {
      samples,
      labelResolution: manifest.resolution,
      numClasses: numClassesOf(project),
      options: { cvFolds: folds, cvMembers: 1, cvMaxSteps: 1000, members: folds },
    },
    { onProgress: opts.onProgress, signal: opts.signal },
  );
  return { miou: report.miou, perClass: report.perClass, annotated: samples.length };
}
