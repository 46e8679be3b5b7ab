/**
 * Train a project's style interpreter: the annotated samples' features are regenerated from their stored
 * w on demand (never all held at native resolution at once by this code), the ensemble is trained with
 * its cross-validated report, and the result is stored in the project.
 */
import { UserError } from '../../shared/errors';
import type { InterpreterProgress, InterpreterTrainOptions, TrainedInterpreter } from '../../shared/interpreter-types';
import type { Generator } from '../../compute/generator/generator';
import { trainInterpreter, type SampleLoader } from '../../compute/interpreter';
import type { Project } from '../project';

export interface TrainProjectOptions {
  options?: Partial<InterpreterTrainOptions>;
  onProgress?: (e: InterpreterProgress) => void;
  signal?: AbortSignal;
}

export function numClassesOf(project: Project): number {
  return project.listClasses().reduce((m, c) => Math.max(m, c.index + 1), 0);
}

export async function trainProject(project: Project, gen: Generator, opts: TrainProjectOptions = {}): Promise<{ id: string; trained: TrainedInterpreter }> {
  const annotated = project.listAnnotations();
  if (annotated.length < 2) {
    throw new UserError(`${project.path} has ${annotated.length} annotated sample(s); annotate at least 2 (DatasetGAN uses 16–30) before training.`);
  }
  const R = gen.manifest.resolution;
  const loader: SampleLoader = {
    count: annotated.length,
    async load(index) {
      const { sampleId } = annotated[index];
      const sample = project.getSample(sampleId);
      const annotation = project.getAnnotation(sampleId);
      if (!sample || !annotation) throw new UserError(`Annotated sample ${sampleId} vanished from ${project.path} while training; train again.`);
      if (annotation.width !== R || annotation.height !== R) {
        throw new UserError(`The annotation of sample ${sampleId} is ${annotation.width}×${annotation.height} but the model makes ${R}×${R} images; re-import it.`);
      }
      const { features } = await gen.generateFromW(project.getLatents(sampleId).w, 1, sample.psi, true);
      return { features: features![0], labels: annotation.labelMap };
    },
  };
  const trained = await trainInterpreter({
    samples: loader,
    labelResolution: R,
    numClasses: numClassesOf(project),
    options: { executionProviders: [gen.provider.name], ...opts.options },
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
  const { id } = project.saveInterpreter({
    config: trained.config,
    weights: trained.weights,
    metrics: trained.metrics,
    provider: trained.metrics.provider,
    wallSeconds: trained.metrics.wallSeconds,
  });
  return { id, trained };
}

/** The newest interpreter trained for the project's current model, as the labeler needs it. */
export function latestTrained(project: Project, modelSha256: string): { id: string; trained: TrainedInterpreter } | null {
  // listInterpreters is newest first.
  const it = project.listInterpreters().find((i) => i.modelSha256 === modelSha256);
  if (!it) return null;
  const full = project.getInterpreter(it.id)!;
  return { id: it.id, trained: { config: full.config, weights: full.weights, metrics: full.metrics } as TrainedInterpreter };
}
