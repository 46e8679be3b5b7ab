/**
 * A real project on the tiny ONNX bundle (e2e/fixtures/tiny-bundle) with annotated samples whose labels
 * are a rule on the image (bright red = class 1), so there is something real to learn from the
 * generator's features. Shared by the engine's flow tests and the compute-process tests.
 */
import path from 'node:path';
import type { Compute } from '../../../shared/compute-api';
import { readBundleDir } from '../../../node/bundle/bundle';
import { Project } from '../../project';
import { projectModel } from '../../project/model';

export const TINY_BUNDLE = path.resolve('e2e/fixtures/tiny-bundle');

export async function makeTinyProject(file: string, compute: Compute, seeds = [0, 1, 2, 3, 4, 5]): Promise<void> {
  const bundle = readBundleDir(TINY_BUNDLE);
  const project = Project.create(file, { classes: [{ name: 'background' }, { name: 'red' }] });
  try {
    project.embedModel({
      sha256: bundle.sha256,
      manifestJson: bundle.manifestJson,
      mapping: bundle.mapping,
      synthesis: bundle.synthesis,
    });
    const { ref, manifest } = projectModel(project, 'cpu');
    const batch = await compute.sample(ref, { seeds, psi: 0.7, images: true });
    const { zDim, wDim, resolution: R } = manifest;
    const samples = project.addSamples(
      seeds.map((seed, i) => ({
        seed,
        psi: 0.7,
        z: batch.z.slice(i * zDim, (i + 1) * zDim),
        w: batch.w.slice(i * wDim, (i + 1) * wDim),
      })),
    );
    samples.forEach((s, i) => {
      const rgb = batch.images[i];
      const labelMap = new Uint8Array(R * R).map((_, p) => (rgb[p * 3] > 128 ? 1 : 0));
      project.saveAnnotation(s.id, { width: R, height: R, labelMap, shapes: [] });
    });
  } finally {
    project.dispose();
  }
}
