/**
 * Labeling with a trained interpreter: the factorised whole-ensemble graph, on generated images and
 * (with maps read back from the training store) on held-out annotations during cross-validation.
 */
import * as ort from 'onnxruntime-node';
import type { FeatureMaps, FeatureShape, LabelResult, TrainedInterpreter } from '../../shared/interpreter-types';
import { UserError } from '../../shared/errors';
import type { EnsembleParams, EnsembleShape } from './ensemble-params';
import { deserializeEnsemble, sliceMembers } from './ensemble-params';
import { buildFactorisedModel, foldEnsemble } from './infer-graph';
import { topTenPercentMean } from './label-metrics';
import { openSession } from '../runtime/execution-provider';

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
  executionProviders: string[] = ['cpu'], threads = 0, options: { membersPerRun?: number } = {}): Promise<Labeler> {
  const c = trained.config;
  const same = manifestFeatures.length === c.features.length && manifestFeatures.every((f, i) =>
    f.name === c.features[i].name && f.channels === c.features[i].channels && f.resolution === c.features[i].resolution);
  if (!same) throw new UserError('This interpreter was trained on another generator\'s feature maps; retrain it for this model.');
  const shape = ensembleShapeOf(trained);
  const params = deserializeEnsemble(trained.weights, shape);
  return openLabeler(params, shape, c.bnEps, c.features, labelResolution, executionProviders, threads, options);
}

/** Bytes allowed for the largest intermediate of one labeling run (members × h1 × label pixels × 4). */
const ACTIVATION_BUDGET = 256 * 1024 * 1024;
/**
 * Up to this largest intermediate, sessions keep onnxruntime's CPU arena: the same buffers serve
 * every image. Without it each image's ~N × 20 MB of intermediates at 64² comes fresh from the system
 * and is zero-filled page by page; measured on the 2-core VM (bench/interpreter.ts label job): ≈ 300
 * against 57 ms per demo image. Above it (512² labels) the arena would pin gigabytes between images.
 */
const ARENA_LIMIT = 64 * 1024 * 1024;

export interface LabelerRunOptions {
  /** Members per graph run (default: as many as fit a 256 MiB first-layer activation). */
  membersPerRun?: number;
  /** Also expose per-member probabilities (tests). */
  withProbs?: boolean;
}

/**
 * The labeler. When the whole ensemble's upsampled first layer (N·h1 × L² floats) fits the budget,
 * one graph computes vote and uncertainty; otherwise (e.g. 512² labels: 1.3 GB for 10 members) the
 * members run in groups, each returning probabilities and entropies, combined here with the same rules.
 */
export async function openLabeler(params: EnsembleParams, shape: EnsembleShape, bnEps: number, features: FeatureShape[],
  labelResolution: number, executionProviders: string[], threads: number, runOptions: LabelerRunOptions | boolean = {}):
  Promise<Labeler & { probs(featuresBatch: FeatureMaps[]): Promise<Float32Array[]> }> {
  // A boolean is the older form of { withProbs } (bench/interpreter uses it).
  const opts: LabelerRunOptions = typeof runOptions === 'boolean' ? { withProbs: runOptions } : runOptions;
  const P = labelResolution * labelResolution;
  const N = shape.members;
  const C = shape.numClasses;
  const perMember = shape.hidden[0] * P * 4;
  const group = Math.max(1, Math.min(N, opts.membersPerRun ?? Math.floor(ACTIVATION_BUDGET / perMember)));
  // The first layer runs at each map's own resolution before resizing, so a map larger than the
  // label grid makes larger intermediates than the label grid does.
  const largest = Math.max(P, ...features.map((f) => f.resolution * f.resolution));
  const arena = group * shape.hidden[0] * largest * 4 <= ARENA_LIMIT;
  const sessions: ort.InferenceSession[] = [];
  let provider = 'cpu';
  try {
    for (let from = 0; from < N; from += group) {
      const part = sliceMembers(params, shape, from, Math.min(N, from + group));
      const mode = group >= N ? (opts.withProbs ? 'vote+probs' : 'vote') : 'parts';
      const model = buildFactorisedModel(foldEnsemble(part.params, part.shape, bnEps), part.shape, features, labelResolution, mode);
      const opened = await openSession(model, { provider: executionProviders, threads, arena });
      sessions.push(opened.session);
      provider = opened.provider.name;
    }
  } catch (e) {
    for (const x of sessions) await x.release();
    throw e;
  }

  function feedsOf(maps: FeatureMaps): Record<string, ort.Tensor> {
    if (maps.length !== features.length) throw new UserError(`Expected ${features.length} feature maps per image, got ${maps.length}; use the interpreter's generator.`);
    const feeds: Record<string, ort.Tensor> = {};
    maps.forEach((m, i) => {
      const f = features[i];
      if (m.channels !== f.channels || m.resolution !== f.resolution || m.data.length !== f.channels * f.resolution * f.resolution) {
        throw new UserError(`Feature map "${m.name}" is ${m.channels}×${m.resolution}² but the interpreter expects ${f.channels}×${f.resolution}²; use the interpreter's generator.`);
      }
      feeds[`f_${i}`] = new ort.Tensor('float32', m.data, [1, f.channels, f.resolution, f.resolution]);
    });
    return feeds;
  }

  /** One image: label, uncertainty and (optionally) probabilities [N, C, P]. */
  async function labelOne(maps: FeatureMaps, keepProbs: boolean): Promise<{ label: Uint8Array; uncertainty: Float32Array; probs?: Float32Array }> {
    const feeds = feedsOf(maps);
    if (sessions.length === 1) {
      const out = await sessions[0].run(feeds);
      return {
        label: Uint8Array.from((out.label.data as Uint8Array).subarray(0, P)),
        uncertainty: Float32Array.from((out.uncertainty.data as Float32Array).subarray(0, P)),
        probs: keepProbs ? Float32Array.from(out.probs.data as Float32Array) : undefined,
      };
    }
    const votes = new Uint16Array(C * P);
    const sumP = new Float64Array(C * P);
    const sumH = new Float64Array(P);
    const all = keepProbs ? new Float32Array(N * C * P) : undefined;
    let member = 0;
    for (const session of sessions) {
      const out = await session.run(feeds);
      const probs = out.probs.data as Float32Array; // [1, G, C, P]
      const ent = out.entropy.data as Float32Array; // [1, G, P]
      const g = ent.length / P;
      all?.set(probs, member * C * P);
      for (let m = 0; m < g; m++) {
        const base = m * C * P;
        for (let p = 0; p < P; p++) {
          let best = 0;
          for (let c = 1; c < C; c++) if (probs[base + c * P + p] > probs[base + best * P + p]) best = c;
          votes[best * P + p]++;
          sumH[p] += ent[m * P + p];
        }
        for (let i = 0; i < C * P; i++) sumP[i] += probs[base + i];
      }
      member += g;
    }
    const label = new Uint8Array(P);
    const uncertainty = new Float32Array(P);
    for (let p = 0; p < P; p++) {
      let pick = 0;
      let hMean = 0;
      for (let c = 0; c < C; c++) {
        const v = votes[c * P + p], q = sumP[c * P + p];
        if (v > votes[pick * P + p] || (v === votes[pick * P + p] && q > sumP[pick * P + p])) pick = c;
        const mean = q / N;
        if (mean > 0) hMean -= mean * Math.log(mean);
      }
      label[p] = pick;
      uncertainty[p] = hMean - sumH[p] / N;
    }
    return { label, uncertainty, probs: all };
  }

  return {
    provider,
    async label(batch) {
      const result: LabelResult = { labels: [], uncertainty: [], score: [] };
      // One image per run: the upsampled first-layer activations dominate memory.
      for (const maps of batch) {
        const r = await labelOne(maps, false);
        result.labels.push(r.label);
        result.uncertainty.push(r.uncertainty);
        result.score.push(topTenPercentMean(r.uncertainty));
      }
      return result;
    },
    async probs(batch) {
      const res: Float32Array[] = [];
      for (const maps of batch) res.push((await labelOne(maps, true)).probs as Float32Array);
      return res;
    },
    async dispose() { for (const x of sessions) await x.release(); },
  };
}
