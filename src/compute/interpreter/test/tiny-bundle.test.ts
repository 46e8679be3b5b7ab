import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { BundleManifestSchema } from '../../../shared/bundle-manifest';
import type { FeatureMaps } from '../../../shared/interpreter-types';
import { latentFromSeed } from '../../../shared/rng';
import { deserializeEnsemble } from '../ensemble-params';
import { createLabeler, trainInterpreter } from '../index';
import { ensembleShapeOf } from '../label/labeler';
import { naiveEnsembleProbs, naivePixelFeatures, voteLabel } from './naive-reference';

const bundle = fileURLToPath(new URL('../../../../e2e/fixtures/tiny-bundle/', import.meta.url));

/** Real feature maps from the tiny test bundle (ψ = 1), and labels from the image: 3 luminance bands. */
async function realSamples(seeds: number[]) {
  const manifest = BundleManifestSchema.parse(JSON.parse(readFileSync(`${bundle}manifest.json`, 'utf8')));
  const mapping = await ort.InferenceSession.create(`${bundle}mapping.onnx`);
  const synthesis = await ort.InferenceSession.create(`${bundle}synthesis.onnx`);
  const R = manifest.resolution;
  const samples: { features: FeatureMaps; labels: Uint8Array }[] = [];
  for (const seed of seeds) {
    const z = new ort.Tensor('float32', latentFromSeed(seed, manifest.zDim), [1, manifest.zDim]);
    const w = (await mapping.run({ [manifest.graphs.mapping.input]: z }))[manifest.graphs.mapping.output]
      .data as Float32Array;
    const ws = new Float32Array(manifest.numWs * manifest.wDim);
    for (let i = 0; i < manifest.numWs; i++) ws.set(w, i * manifest.wDim);
    const out = await synthesis.run({
      [manifest.graphs.synthesis.input]: new ort.Tensor('float32', ws, [1, manifest.numWs, manifest.wDim]),
    });
    const img = out[manifest.graphs.synthesis.imageOutput].data as Float32Array;
    const lum = Float32Array.from({ length: R * R }, (_, p) => img[p] + img[R * R + p] + img[2 * R * R + p]);
    const sorted = Float32Array.from(lum).sort();
    const t1 = sorted[Math.floor((R * R) / 3)],
      t2 = sorted[Math.floor((2 * R * R) / 3)];
    const labels = Uint8Array.from(lum, (v) => (v < t1 ? 0 : v < t2 ? 1 : 2));
    const features = manifest.features.map((f) => ({
      name: f.name,
      channels: f.channels,
      resolution: f.resolution,
      data: Float32Array.from(out[f.name].data as Float32Array),
    }));
    samples.push({ features, labels });
  }
  await mapping.release();
  await synthesis.release();
  return { manifest, samples };
}

describe.skipIf(!existsSync(`${bundle}synthesis.onnx`))('with real feature maps of the tiny bundle', () => {
  it('trains, cross-validates and labels; the factorised labels equal the naive path', async () => {
    const { manifest, samples } = await realSamples([1, 2, 3, 4, 5, 6]);
    const L = manifest.resolution;
    const trained = await trainInterpreter({
      samples,
      labelResolution: L,
      numClasses: 3,
      options: {
        members: 4,
        maxEpochs: 30,
        earlyStopFromEpoch: 2,
        cvMembers: 1,
        cvMaxSteps: 300,
        threads: 1,
        minClassFraction: 30 / (L * L),
      },
    });
    // The image is a function of the last maps through a style-modulated ToRGB, so held-out bands are
    // only partly predictable: well above chance (IoU ≈ 0.2 for three balanced classes) is the claim.
    expect(trained.metrics.miou).toBeGreaterThan(0.3);
    const labeler = await createLabeler(trained, manifest.features, L);
    const r = await labeler.label(samples.map((s) => s.features));
    await labeler.dispose();
    const shape = ensembleShapeOf(trained);
    const params = deserializeEnsemble(trained.weights, shape);
    let disagree = 0;
    let correct = 0;
    samples.forEach((s, i) => {
      for (let p = 0; p < L * L; p++) if (r.labels[i][p] === s.labels[p]) correct++;
      const { x } = naivePixelFeatures(s.features, L);
      const probs = naiveEnsembleProbs(x, L * L, params, shape, trained.config.bnEps);
      for (let p = 0; p < L * L; p++) if (voteLabel(probs.map((m) => m[p])) !== r.labels[i][p]) disagree++;
    });
    expect(disagree).toBe(0);
    expect(correct / (samples.length * L * L)).toBeGreaterThan(0.8); // fits its own annotations
  });
});
