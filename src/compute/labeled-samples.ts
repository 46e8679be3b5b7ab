/**
 * Labeled samples from seeds or stored latents, along the two paths the compute core chooses between
 * (interpreter/label/labeling-path.ts): the generator's session followed by the streamed labeler, or
 * one merged session (fused/labeled-generator.ts) where the maps never leave the provider's device.
 * Both return the same images and, on the CPU, the same label bytes.
 */
import type { CountProgress, LabelInput } from '../shared/compute-api';
import type { LabeledSampleSource, SourceInfo } from '../shared/dataset-types';
import type { LabelResult } from '../shared/interpreter-types';
import type { CallControl } from '../shared/rpc';
import type { Generator } from './generator/generator';
import type { Labeler } from './interpreter';
import type { LabeledBatch, LabeledGenerator } from './fused/labeled-generator';

/** Images run through the generator per call when rendering or labeling stored samples. */
export const BATCH = 8;
/**
 * Feature maps one generator call may return when they are labeled: a 512² StyleGAN2's maps are
 * ~256 MB per image, so larger batches run as several calls and memory does not grow with the batch.
 */
const FEATURE_BYTES_PER_CALL = 256 * 1024 * 1024;

/** Images per generator call when their feature maps are kept (at least one); the merged session holds them inside. */
export function featureBatch(gen: Generator): number {
  const perImage = gen.manifest.features.reduce((a, f) => a + 4 * f.channels * f.resolution * f.resolution, 0);
  return Math.max(1, Math.min(BATCH, Math.floor(FEATURE_BYTES_PER_CALL / perImage)));
}

export interface LabeledSamples {
  /** [n, zDim] */
  z: Float32Array;
  images: Uint8Array[];
  labels: Uint8Array[];
  uncertainty: Float32Array[];
  score: number[];
}

/**
 * Seeds generated with their feature maps and labeled, in calls that keep the maps under the budget
 * and in at least two parts, so that a labeler in its own thread (interpreter/label/thread.ts) labels part i while
 * this thread generates part i+1. At most two parts' maps wait for the labeler at once.
 */
export async function labelSeedsStreamed(
  gen: Generator,
  labeler: Labeler,
  seeds: readonly number[],
  psi: number,
): Promise<LabeledSamples> {
  const step = Math.max(1, Math.min(featureBatch(gen), Math.ceil(seeds.length / 2)));
  const zDim = gen.manifest.zDim;
  const out: LabeledSamples = {
    z: new Float32Array(seeds.length * zDim),
    images: [],
    labels: [],
    uncertainty: [],
    score: [],
  };
  const pending: Promise<LabelResult>[] = [];
  const collect = async () => {
    const labeled = await (pending.shift() as Promise<LabelResult>);
    out.labels.push(...labeled.labels);
    out.uncertainty.push(...labeled.uncertainty);
    out.score.push(...labeled.score);
  };
  try {
    for (let i = 0; i < seeds.length; i += step) {
      if (pending.length >= 2) await collect();
      const batch = await gen.generate(seeds.slice(i, i + step), psi, true);
      out.z.set(batch.z, i * zDim);
      out.images.push(...batch.images);
      pending.push(labeler.label(batch.features!)); // the maps move to the labeler's thread
    }
    while (pending.length) await collect();
  } finally {
    for (const p of pending) p.catch(() => undefined); // a failure already surfaced; the rest are moot
  }
  return out;
}

/**
 * Seeds through the merged session, in calls of at most `featureBatch` images (the maps of a call live
 * inside the session). Uncertainty maps only when asked for: on a GPU each one is a copy to the host.
 */
export async function labelSeedsFused(
  gen: Generator,
  fused: LabeledGenerator,
  seeds: readonly number[],
  psi: number,
  withUncertainty: boolean,
): Promise<LabeledSamples> {
  const zDim = gen.manifest.zDim;
  const z = gen.latents(seeds);
  const out: LabeledSamples = { z, images: [], labels: [], uncertainty: [], score: [] };
  const step = featureBatch(gen);
  for (let i = 0; i < seeds.length; i += step) {
    const n = Math.min(step, seeds.length - i);
    const r = await fused.run(z.subarray(i * zDim, (i + n) * zDim), n, psi, withUncertainty);
    out.images.push(...r.images);
    out.labels.push(...r.labels);
    out.uncertainty.push(...r.uncertainty);
    out.score.push(...r.score);
  }
  return out;
}

/** Fresh seeds (from z) or stored samples (from w, each with its own ψ) through the merged session. */
export async function labelFused(
  gen: Generator,
  fused: LabeledGenerator,
  input: LabelInput,
  withUncertainty: boolean,
  ctl: CallControl<CountProgress>,
): Promise<LabeledBatch> {
  const count = 'seeds' in input ? input.seeds.length : input.items.length;
  const { wDim } = gen.manifest;
  const step = featureBatch(gen);
  const out: LabeledBatch = { images: [], labels: [], uncertainty: [], score: [] };
  for (let i = 0; i < count; i += step) {
    ctl.signal?.throwIfAborted();
    const n = Math.min(step, count - i);
    let r: LabeledBatch;
    if ('seeds' in input) {
      r = await labelSeedsFused(gen, fused, input.seeds.slice(i, i + n), input.psi, withUncertainty);
    } else {
      const items = input.items.slice(i, i + n);
      const w = new Float32Array(n * wDim);
      items.forEach((it, b) => w.set(it.w, b * wDim));
      r = await fused.run(
        w,
        n,
        Float64Array.from(items, (it) => it.psi),
        withUncertainty,
      );
    }
    out.images.push(...r.images);
    out.labels.push(...r.labels);
    out.uncertainty.push(...r.uncertainty);
    out.score.push(...r.score);
    ctl.onProgress?.({ done: i + n, total: count });
  }
  return out;
}

/** What a generation run labels its seeds with: the merged session, or the generator and a labeler. */
export type LabelingBy = { fused: LabeledGenerator } | { labeler: Labeler };

/** A generation run's samples: each seed's z, image, labels and score, made along `by`'s path. */
export function labeledSampleSource(
  gen: Generator,
  info: Omit<SourceInfo, 'resolution' | 'zDim'>,
  by: LabelingBy,
): LabeledSampleSource {
  const { resolution, zDim } = gen.manifest;
  return {
    info: { ...info, resolution, zDim },
    async produce(seeds) {
      const r =
        'fused' in by
          ? await labelSeedsFused(gen, by.fused, seeds, info.psi, false)
          : await labelSeedsStreamed(gen, by.labeler, seeds, info.psi);
      return seeds.map((seed, i) => ({
        seed,
        z: r.z.subarray(i * zDim, (i + 1) * zDim),
        rgb: r.images[i],
        labels: r.labels[i],
        score: r.score[i],
      }));
    },
  };
}
