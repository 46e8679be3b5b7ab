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

interface Sessions {
  mapping: ort.InferenceSession;
  synthesis: ort.InferenceSession;
}

export class Generator implements Disposable {
  /** The open sessions; null while parked (`park`), until the next forward opens them again. */
  private sessions: Promise<Sessions> | null;
  /** Forwards between asking for the sessions and their end: a park waits for none to be left. */
  private running = 0;
  private parkWhenIdle = false;
  private disposed = false;

  private constructor(
    readonly bundle: ModelBundle,
    sessions: Sessions,
    readonly provider: ProviderChoice,
    private readonly arena: boolean | undefined,
  ) {
    this.sessions = Promise.resolve(sessions);
  }

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
    const gen = new Generator(
      bundle,
      { mapping: map.session, synthesis: synth.session },
      synth.provider,
      options.arena,
    );
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
      mapped = await this.run('mapping', { [m.graphs.mapping.input]: z });
      checkOutputShapes(m, mapped, 'mapping', where, n);
      const ws = this.truncate(mapped[m.graphs.mapping.output].data as Float32Array, n, 1);
      synth = await this.run('synthesis', {
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
    const out = await this.run('mapping', { [m.graphs.mapping.input]: new ort.Tensor('float32', z, [n, m.zDim]) });
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
    const out = await this.run(
      'synthesis',
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
    return this.busy(async () => {
      const w = await this.map(z, n);
      const { images, features } = await this.generateFromW(w, n, psi, withFeatures);
      return { seeds: [...seeds], z, w: new Float32Array(w), images, features };
    });
  }

  /**
   * Work on the sessions (one run, or a forward of several): counted before its first await, so a park
   * that comes meanwhile waits for its end instead of closing the sessions under it.
   */
  private async busy<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      if (this.parkWhenIdle && this.running === 0) await this.release();
    }
  }

  /** Runs one graph, opening the sessions again first when they are parked. */
  private run(graph: keyof Sessions, feeds: Record<string, ort.Tensor>, fetches?: string[]) {
    return this.busy(async () => {
      if (this.disposed) throw new Error(`the generator ${this.manifest.name} was disposed`);
      this.sessions ??= this.reopen();
      const session = (await this.sessions)[graph];
      return fetches ? session.run(feeds, fetches) : session.run(feeds);
    });
  }

  private async reopen(): Promise<Sessions> {
    const options = { provider: [this.provider.name], arena: this.arena };
    try {
      const synthesis = (await openSession(this.bundle.synthesis, options)).session;
      try {
        return { synthesis, mapping: (await openSession(this.bundle.mapping, options)).session };
      } catch (e) {
        await synthesis.release();
        throw e;
      }
    } catch (e) {
      // Not kept: the next forward tries again.
      this.sessions = null;
      throw e;
    }
  }

  private async release(): Promise<void> {
    const open = this.sessions;
    this.sessions = null;
    this.parkWhenIdle = false;
    const sessions = await open?.catch(() => null);
    if (sessions) await Promise.all([sessions.mapping.release(), sessions.synthesis.release()]);
  }

  /**
   * Closes the onnxruntime sessions (their weights and their arena's high-water mark) and keeps the
   * bundle; the next forward opens them again on the provider settled at load. A forward in flight
   * finishes first. For a training, whose maps come from a session of its own, so the project's
   * generator does not hold hundreds of MB idle beside it.
   */
  async park(): Promise<void> {
    if (this.running > 0) this.parkWhenIdle = true;
    else await this.release();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.release();
  }
}
