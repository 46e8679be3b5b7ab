/**
 * A Labeler that runs the one-graph labeler (one-graph.ts) in one onnxruntime session: every stage on
 * the session's provider, no WebAssembly between runs. On a GPU provider it is what labels maps that are
 * already on the host (cross-validation's held-out samples); generation merges it with the generator
 * instead (src/compute/fused/). Its labels are the streamed labeler's, byte for byte.
 */
import type * as ort from 'onnxruntime-node';
import type { FeatureMaps, FeatureShape, LabelResult } from '../../../shared/interpreter-types';
import type { EnsembleParams, EnsembleShape } from '../ensemble-params';
import { openSession } from '../../runtime/execution-provider';
import { foldEnsemble } from './graph';
import { checkFeatureMaps } from './check-maps';
import type { Labeler, LabelerStageMs } from './labeler';
import { buildLabelingModel } from './one-graph';
import type { LabelerSizing } from './plan';

export async function openGraphLabeler(
  params: EnsembleParams,
  shape: EnsembleShape,
  bnEps: number,
  features: FeatureShape[],
  labelResolution: number,
  executionProviders: string[],
  threads: number,
  sizing: LabelerSizing = {},
): Promise<Labeler> {
  const model = buildLabelingModel({
    folded: foldEnsemble(params, shape, bnEps),
    shape,
    features,
    labelResolution,
    sizing,
  });
  const { session, provider } = await openSession(model, { provider: executionProviders, threads });
  const stageMs: LabelerStageMs = { project: 0, upsample: 0, resize: 0, tile: 0 };
  const P = labelResolution * labelResolution;
  return {
    provider: provider.name,
    stageMs,
    async label(batch: FeatureMaps[]): Promise<LabelResult> {
      const result: LabelResult = { labels: [], uncertainty: [], score: [] };
      for (const maps of batch) {
        const feeds: Record<string, ort.Tensor> = {};
        checkFeatureMaps(features, maps).forEach((t, i) => {
          feeds[`f_${i}`] = t;
        });
        const t0 = performance.now();
        const out = await session.run(feeds);
        stageMs.tile += performance.now() - t0; // one run: every stage at once
        result.labels.push((out.label.data as Uint8Array).slice(0, P));
        result.uncertainty.push((out.uncertainty.data as Float32Array).slice(0, P));
        result.score.push((out.score.data as Float64Array)[0]);
      }
      return result;
    },
    async dispose() {
      await session.release();
    },
  };
}
