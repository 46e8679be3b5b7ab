/**
 * Labeling with a trained interpreter: the factorised whole-ensemble graph on generated images, and the
 * per-pixel graph on stored features (cross-validation of held-out annotations).
 */
import * as ort from 'onnxruntime-node';
import type { FeatureMaps, FeatureShape, LabelResult, TrainedInterpreter } from '../../shared/interpreter-types';
import { UserError } from '../../shared/errors';
import type { EnsembleParams, EnsembleShape } from './ensemble-params';
import { deserializeEnsemble } from './ensemble-params';
import { buildFactorisedModel, buildPixelModel, foldEnsemble } from './infer-graph';
import { topTenPercentMean } from './label-metrics';
import type { PixelFeatureStore } from './pixel-features';
import { createSession } from './session';

export interface Labeler {
  /** Execution provider the graph runs on. */
  readonly provider: string;
  /** Labels images given as their feature maps (manifest order, native resolution). */
  label(featuresBatch: FeatureMaps[]): Promise<LabelResult>;
  dispose(): Promise<void>;
}

export function ensembleShapeOf(trained: TrainedInterpreter): EnsembleShape {
  const c = trained.config;
  return { members: c.members, inputDims: c.features.reduce((a, f) => a + f.channels, 0), hidden: c.hidden, numClasses: c.numClasses };
}

/**
 * Builds the labeler of a trained interpreter for the generator's feature maps (the bundle manifest's
 * `features`) at `labelResolution`. The maps must be the ones it was trained on, in the same order.
 */
export async function createLabeler(trained: TrainedInterpreter, manifestFeatures: FeatureShape[], labelResolution: number,
  executionProviders: string[] = ['cpu'], threads = 0): Promise<Labeler> {
  const c = trained.config;
  const same = manifestFeatures.length === c.features.length && manifestFeatures.every((f, i) =>
    f.name === c.features[i].name && f.channels === c.features[i].channels && f.resolution === c.features[i].resolution);
  if (!same) throw new UserError('This interpreter was trained on another generator\'s feature maps; retrain it for this model.');
  const shape = ensembleShapeOf(trained);
  const params = deserializeEnsemble(trained.weights, shape);
  return openLabeler(params, shape, c.bnEps, c.features, labelResolution, executionProviders, threads);
}

export async function openLabeler(params: EnsembleParams, shape: EnsembleShape, bnEps: number, features: FeatureShape[],
  labelResolution: number, executionProviders: string[], threads: number, withProbs = false):
  Promise<Labeler & { probs(featuresBatch: FeatureMaps[]): Promise<Float32Array[]> }> {
  const model = buildFactorisedModel(foldEnsemble(params, shape, bnEps), shape, features, labelResolution, withProbs);
  const { session, provider } = await createSession(model, executionProviders, threads);
  const P = labelResolution * labelResolution;

  async function runOne(maps: FeatureMaps): Promise<ort.InferenceSession.OnnxValueMapType> {
    if (maps.length !== features.length) throw new UserError(`Expected ${features.length} feature maps per image, got ${maps.length}; use the interpreter's generator.`);
    const feeds: Record<string, ort.Tensor> = {};
    maps.forEach((m, i) => {
      const f = features[i];
      if (m.channels !== f.channels || m.resolution !== f.resolution) {
        throw new UserError(`Feature map "${m.name}" is ${m.channels}×${m.resolution}² but the interpreter expects ${f.channels}×${f.resolution}²; use the interpreter's generator.`);
      }
      feeds[`f_${i}`] = new ort.Tensor('float32', m.data, [1, f.channels, f.resolution, f.resolution]);
    });
    return session.run(feeds);
  }

  return {
    provider,
    async label(batch) {
      const result: LabelResult = { labels: [], uncertainty: [], score: [] };
      // One image per run: the upsampled first-layer activations (N·h1 × label pixels) dominate memory.
      for (const maps of batch) {
        const out = await runOne(maps);
        const u = Float32Array.from((out.uncertainty.data as Float32Array).subarray(0, P));
        result.labels.push(Uint8Array.from((out.label.data as Uint8Array).subarray(0, P)));
        result.uncertainty.push(u);
        result.score.push(topTenPercentMean(u));
      }
      return result;
    },
    async probs(batch) {
      const res: Float32Array[] = [];
      for (const maps of batch) res.push(Float32Array.from((await runOne(maps)).probs.data as Float32Array));
      return res;
    },
    async dispose() { await session.release(); },
  };
}

/** Labels stored images pixel by pixel (features gathered from the store in blocks) with the pixel graph. */
export async function labelStoredImages(params: EnsembleParams, shape: EnsembleShape, bnEps: number, store: PixelFeatureStore,
  images: number[], executionProviders: string[], threads: number, blockPixels = 4096): Promise<Uint8Array[]> {
  const { session } = await createSession(buildPixelModel(foldEnsemble(params, shape, bnEps), shape), executionProviders, threads);
  try {
    const P = store.labelResolution * store.labelResolution;
    const D = store.dims;
    const x = new Float32Array(blockPixels * D);
    const out: Uint8Array[] = [];
    for (const img of images) {
      const labels = new Uint8Array(P);
      for (let s = 0; s < P; s += blockPixels) {
        const n = Math.min(blockPixels, P - s);
        for (let j = 0; j < n; j++) store.gather(img, s + j, x, j * D);
        const r = await session.run({ x: new ort.Tensor('float32', x.subarray(0, n * D), [n, D]) });
        labels.set((r.label.data as Uint8Array).subarray(0, n), s);
      }
      out.push(labels);
    }
    return out;
  } finally {
    await session.release();
  }
}
