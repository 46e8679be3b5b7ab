/**
 * The generator runtime: seeds → z → w → truncated ws → image and feature maps, on onnxruntime-node.
 * `run()` blocks its thread, so this lives in the CLI process or the app's compute process, never in
 * Electron's main process (DESIGN §3).
 */
import * as ort from 'onnxruntime-node';
import type { BundleManifest } from '../../shared/bundle-manifest';
import { UserError } from '../../shared/errors';
import type { Disposable } from '../../shared/lifecycle';
import { planarToRgb8 } from '../../shared/image';
import { latentFromSeed } from '../../shared/rng';
import type { ModelBundle } from '../../node/bundle/bundle';
import {
  openSession,
  type ForcedProvider,
  type ProviderChoice,
  type ProviderPreference,
  type SessionOptions,
} from '../runtime/execution-provider';
import { REEXPORT, checkGraphSignatures, checkOutputShapes } from './check-graphs';

/** One feature map of one image at native resolution, data laid out [C, r, r]. */
export interface FeatureMapData {
  name: string;
  channels: number;
  resolution: number;
  data: Float32Array;
}

export interface GeneratedBatch {
  seeds: number[];
  /** [n, zDim] */
  z: Float32Array;
  /** [n, wDim], before truncation */
  w: Float32Array;
  /** per sample, interleaved RGB8 [R, R, 3] */
  images: Uint8Array[];
  /** per sample, the manifest's feature maps (only when asked for) */
  features: FeatureMapData[][] | null;
}

export interface GeneratorOptions {
  /** A preference, or the providers an already loaded generator settled on. */
  provider?: ProviderPreference | readonly string[];
  /** Overrides `provider` (DGS_PROVIDER, read by the process's entry). */
  forced?: ForcedProvider;
  /** Run one sample through both graphs to check real output shapes (do it when embedding a bundle). */
  verifyByForward?: boolean;
  /**
   * false: no CPU arena, so a forward's intermediates go back to the system after each run. Slower per
   * forward; for a session that runs a few forwards and is closed (training's sample loader).
   */
  arena?: boolean;
}

async function openGraph(bytes: Uint8Array, graph: string, where: string, options: SessionOptions) {
  try {
    return await openSession(bytes, options);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0].slice(0, 200) : String(e);
    throw new UserError(
      `The ${graph} graph of ${where} is not an ONNX model onnxruntime can load (${why}); re-export the bundle.`,
    );
  }
}

export class Generator implements Disposable {
  private constructor(
    readonly bundle: ModelBundle,
    private readonly mapping: ort.InferenceSession,
    private readonly synthesis: ort.InferenceSession,
    readonly provider: ProviderChoice,
  ) {}

  get manifest(): BundleManifest {
    return this.bundle.manifest;
  }

  static async load(
    bundle: ModelBundle,
    options: GeneratorOptions = {},
    where = `model ${bundle.manifest.name}`,
  ): Promise<Generator> {
    const synth = await openGraph(bundle.synthesis, 'synthesis', where, {
      provider: options.provider,
      forced: options.forced,
      arena: options.arena,
    });
    // The mapping graph is tiny; run it where the synthesis runs so both share one provider choice.
    const map = await openGraph(bundle.mapping, 'mapping', where, {
      provider: [synth.provider.name],
      arena: options.arena,
    });
    const gen = new Generator(bundle, map.session, synth.session, synth.provider);
    try {
      checkGraphSignatures(bundle.manifest, { mapping: map.session, synthesis: synth.session }, where);
      if (options.verifyByForward) await gen.verifyByForward(where);
    } catch (e) {
      await gen.dispose();
      throw e;
    }
    return gen;
  }

  /**
   * Runs the graphs on one sample, then on two at once: real output shapes against the manifest, and
   * the first sample's image must not change when another runs beside it (generation batches samples).
   */
  private async verifyByForward(where: string): Promise<void> {
    const one = await this.forwardChecked(1, where);
    const two = await this.forwardChecked(2, where);
    const size = one.length;
    let worst = 0;
    for (let i = 0; i < size; i++) worst = Math.max(worst, Math.abs(one[i] - two[i]));
    const [lo, hi] = this.manifest.imageRange;
    if (!(worst <= 1e-3 * Math.abs(hi - lo))) {
      throw new UserError(
        `The synthesis graph of ${where} gives another image for a sample when a second one runs beside it (largest difference ${worst.toPrecision(3)}): ` +
          `each sample of a batch must be computed on its own; ${REEXPORT}`,
      );
    }
  }

  /** Mapping and synthesis on seeds 0 … n−1 with their shapes checked; returns the image output. */
  private async forwardChecked(n: number, where: string): Promise<Float32Array> {
    const m = this.manifest;
    const z = new ort.Tensor('float32', this.latents(Array.from({ length: n }, (_, i) => i)), [n, m.zDim]);
    let mapped: Record<string, ort.Tensor>;
    let synth: Record<string, ort.Tensor>;
    try {
      mapped = await this.mapping.run({ [m.graphs.mapping.input]: z });
      checkOutputShapes(m, mapped, 'mapping', where, n);
      const ws = this.truncate(mapped[m.graphs.mapping.output].data as Float32Array, n, 1);
      synth = await this.synthesis.run({
        [m.graphs.synthesis.input]: new ort.Tensor('float32', ws, [n, m.numWs, m.wDim]),
      });
    } catch (e) {
      if (e instanceof Error && e.name === 'UserError') throw e;
      const why = e instanceof Error ? e.message.split('\n')[0].slice(0, 200) : String(e);
      if (n > 1)
        throw new UserError(
          `Running ${where} on ${n} samples at once failed (${why}): its graphs fix the batch size somewhere inside; ${REEXPORT}`,
        );
      throw new UserError(`Running ${where} failed with the shapes its manifest gives (${why}); re-export the bundle.`);
    }
    checkOutputShapes(m, synth, 'synthesis', where, n);
    return synth[m.graphs.synthesis.imageOutput].data as Float32Array;
  }

  /** z for each seed (docs/rng.md), [n, zDim]. */
  latents(seeds: readonly number[]): Float32Array {
    const d = this.manifest.zDim;
    const z = new Float32Array(seeds.length * d);
    seeds.forEach((s, i) => z.set(latentFromSeed(s, d), i * d));
    return z;
  }

  async map(z: Float32Array, n: number): Promise<Float32Array> {
    const m = this.manifest;
    const out = await this.mapping.run({ [m.graphs.mapping.input]: new ort.Tensor('float32', z, [n, m.zDim]) });
    return out[m.graphs.mapping.output].data as Float32Array;
  }

  /** Broadcast w [n, wDim] to ws [n, numWs, wDim], pulling the first truncationCutoff ws toward wAvg by ψ. */
  truncate(w: Float32Array, n: number, psi: number): Float32Array {
    const { wDim, numWs, truncationCutoff, wAvg } = this.manifest;
    const ws = new Float32Array(n * numWs * wDim);
    for (let b = 0; b < n; b++) {
      const src = w.subarray(b * wDim, (b + 1) * wDim);
      for (let l = 0; l < numWs; l++) {
        const dst = (b * numWs + l) * wDim;
        if (l < truncationCutoff && psi !== 1) {
          for (let k = 0; k < wDim; k++) ws[dst + k] = wAvg[k] + psi * (src[k] - wAvg[k]);
        } else {
          ws.set(src, dst);
        }
      }
    }
    return ws;
  }

  /** Run synthesis on ws [n, numWs, wDim]; features are fetched only when asked for. */
  async synthesize(
    ws: Float32Array,
    n: number,
    withFeatures: boolean,
  ): Promise<{ image: Float32Array; features: Record<string, Float32Array> | null }> {
    const m = this.manifest;
    const fetches = [m.graphs.synthesis.imageOutput, ...(withFeatures ? m.features.map((f) => f.name) : [])];
    const out = await this.synthesis.run(
      { [m.graphs.synthesis.input]: new ort.Tensor('float32', ws, [n, m.numWs, m.wDim]) },
      fetches,
    );
    const image = out[m.graphs.synthesis.imageOutput].data as Float32Array;
    if (!withFeatures) return { image, features: null };
    const features: Record<string, Float32Array> = {};
    for (const f of m.features) features[f.name] = out[f.name].data as Float32Array;
    return { image, features };
  }

  /** Split batched feature outputs into per-sample views (no copies). */
  splitFeatures(features: Record<string, Float32Array>, n: number): FeatureMapData[][] {
    const per: FeatureMapData[][] = [];
    for (let b = 0; b < n; b++) {
      per.push(
        this.manifest.features.map((f) => {
          const size = f.channels * f.resolution * f.resolution;
          return {
            name: f.name,
            channels: f.channels,
            resolution: f.resolution,
            data: features[f.name].subarray(b * size, (b + 1) * size),
          };
        }),
      );
    }
    return per;
  }

  toRgb8(image: Float32Array, n: number): Uint8Array[] {
    const R = this.manifest.resolution;
    return Array.from({ length: n }, (_, b) => planarToRgb8(image, b, R, R, this.manifest.imageRange));
  }

  /** From w (e.g. stored latents) with truncation ψ. */
  async generateFromW(w: Float32Array, n: number, psi: number, withFeatures: boolean) {
    const { image, features } = await this.synthesize(this.truncate(w, n, psi), n, withFeatures);
    return { images: this.toRgb8(image, n), features: features ? this.splitFeatures(features, n) : null };
  }

  /** Seeds → z → w → images (and features). */
  async generate(seeds: readonly number[], psi: number, withFeatures = false): Promise<GeneratedBatch> {
    const n = seeds.length;
    const z = this.latents(seeds);
    const w = await this.map(z, n);
    const { images, features } = await this.generateFromW(w, n, psi, withFeatures);
    return { seeds: [...seeds], z, w: new Float32Array(w), images, features };
  }

  async dispose(): Promise<void> {
    await Promise.all([this.mapping.release(), this.synthesis.release()]);
  }
}
