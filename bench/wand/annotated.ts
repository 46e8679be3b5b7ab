/**
 * The annotated samples of a project as the wand bench uses them: latents, label maps (the truth), the
 * rendered RGB images, and for each sample an interpreter trained on the others (leave-one-out), which
 * gives the pre-label's IoU and guides the feature wand on that sample without having seen its labels.
 */
import type { Compute, InterpreterRef, ModelRef } from '../../src/shared/compute-api';
import type { InterpreterTrainOptions, TrainedInterpreter } from '../../src/shared/interpreter-types';
import type { Project } from '../../src/engine/project';
import { projectCleanupFraction, projectModel } from '../../src/engine/project/model';
import { numClassesOf, trainingSamples } from '../../src/engine/jobs/train-project';

export interface AnnotatedSample {
  id: string;
  seed: number;
  latent: { w: Float32Array; psi: number };
  truth: Uint8Array;
  rgb: Uint8Array;
}

export interface AnnotatedProject {
  model: ModelRef;
  resolution: number;
  classes: { index: number; name: string }[];
  numClasses: number;
  samples: AnnotatedSample[];
  cleanupFraction: number;
}

export async function readAnnotated(project: Project, compute: Compute): Promise<AnnotatedProject> {
  const { ref, manifest } = projectModel(project, 'cpu');
  const R = manifest.resolution;
  const train = trainingSamples(project, R);
  const ids = project.listAnnotations().map((a) => a.sampleId);
  const images = await compute.render(
    ref,
    train.map((s) => ({ w: s.w, psi: s.psi })),
  );
  return {
    model: ref,
    resolution: R,
    classes: project
      .listClasses()
      .sort((a, b) => a.index - b.index)
      .map((c) => ({ index: c.index, name: c.name })),
    numClasses: numClassesOf(project),
    cleanupFraction: projectCleanupFraction(project),
    samples: train.map((s, i) => ({
      id: ids[i],
      seed: project.getSample(ids[i])!.seed,
      latent: { w: s.w, psi: s.psi },
      truth: s.labels,
      rgb: images[i],
    })),
  };
}

/** An interpreter trained on every annotated sample but `heldOut`. */
export async function leaveOneOut(
  compute: Compute,
  p: AnnotatedProject,
  heldOut: number,
  options: Partial<InterpreterTrainOptions>,
): Promise<{ ref: InterpreterRef; trained: TrainedInterpreter }> {
  const samples = p.samples
    .filter((_, i) => i !== heldOut)
    .map((s) => ({ w: s.latent.w, psi: s.latent.psi, labels: s.truth }));
  const id = `loo-${p.samples[heldOut].id}`;
  const trained = await compute.train(p.model, {
    samples,
    labelResolution: p.resolution,
    numClasses: p.numClasses,
    options: { minClassFraction: p.cleanupFraction, cvFolds: 0, ...options },
    keepAs: id,
  });
  return { ref: { id, trained: () => trained }, trained };
}
