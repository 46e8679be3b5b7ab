/**
 * One onnxruntime session that makes labeled samples: the generator and the labeler merged
 * (labeled-graph.ts), z or w and ψ in; interleaved RGB, labels, uncertainty and scores out. On a GPU
 * provider the feature maps stay on the device; onnxruntime-node copies only the session's inputs in and
 * the outputs asked for back (research/ort-device.md), so a run costs those copies and nothing else.
 */
import * as ort from 'onnxruntime-node';
import type { Disposable } from '../../shared/lifecycle';
import type { TrainedInterpreter } from '../../shared/interpreter-types';
import type { ModelBundle } from '../../node/bundle/bundle';
import { openSession, type ProviderChoice } from '../runtime/execution-provider';
import { buildLabeledGraph } from './labeled-graph';

export interface LabeledBatch {
  /** Per sample, interleaved RGB8 [R, R, 3]. */
  images: Uint8Array[];
  labels: Uint8Array[];
  uncertainty: Float32Array[];
  score: number[];
}

export class LabeledGenerator implements Disposable {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly provider: ProviderChoice,
    readonly start: 'z' | 'w',
    private readonly dims: { latent: number; resolution: number },
  ) {}

  /** Opens the merged model of `bundle` and `trained` on `providers` (the generator's, as settled). */
  static async open(
    bundle: ModelBundle,
    trained: TrainedInterpreter,
    start: 'z' | 'w',
    providers: string[],
    threads = 0,
  ): Promise<LabeledGenerator> {
    const m = bundle.manifest;
    const model = buildLabeledGraph({
      manifest: m,
      mapping: bundle.mapping,
      synthesis: bundle.synthesis,
      trained,
      start,
      imageLayout: 'nhwc',
    });
    const opened = await openSession(model, { provider: providers, threads });
    return new LabeledGenerator(opened.session, opened.provider, start, {
      latent: start === 'z' ? m.zDim : m.wDim,
      resolution: m.resolution,
    });
  }

  /**
   * Labeled samples for `n` latents (z or w, as opened) and their ψ (one for all, or one each).
   * Uncertainty maps come back only when asked for (on a GPU each is a copy to the host).
   */
  async run(
    latents: Float32Array,
    n: number,
    psi: number | Float64Array,
    withUncertainty = true,
  ): Promise<LabeledBatch> {
    const { latent, resolution: R } = this.dims;
    const psis = typeof psi === 'number' ? new Float64Array(n).fill(psi) : psi;
    const fetches = ['image', 'label', 'score', ...(withUncertainty ? ['uncertainty'] : [])];
    const out = await this.session.run(
      {
        [this.start]: new ort.Tensor('float32', latents.subarray(0, n * latent), [n, latent]),
        psi: new ort.Tensor('float64', psis, [n]),
      },
      fetches,
    );
    const P = R * R;
    const image = out.image.data as Uint8Array;
    const label = out.label.data as Uint8Array;
    const score = out.score.data as Float64Array;
    const uncertainty = withUncertainty ? (out.uncertainty.data as Float32Array) : null;
    const batch: LabeledBatch = { images: [], labels: [], uncertainty: [], score: [] };
    for (let b = 0; b < n; b++) {
      batch.images.push(image.slice(b * 3 * P, (b + 1) * 3 * P)); // own buffers: writers may move them
      batch.labels.push(label.slice(b * P, (b + 1) * P));
      if (uncertainty) batch.uncertainty.push(uncertainty.slice(b * P, (b + 1) * P));
      batch.score.push(score[b]);
    }
    return batch;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
