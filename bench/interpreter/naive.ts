/**
 * The naive reference: what the official DatasetGAN code (nv-tlabs/datasetGAN_release,
 * train_interpreter.py) does, written in this repo on onnxruntime-node CPU so that the benchmark compares
 * runtime with runtime (bench/interpreter.ts, docs/benchmarks.md "Interpreter"):
 *
 *  1. prepare_data: every map of every annotated image is upsampled to the label resolution and
 *     concatenated into ONE [images·L², dims] matrix held in memory. The official code fills a float16
 *     NumPy array and then makes a float32 torch copy, keeping both; `fp16Copy` mirrors that (the fp32
 *     matrix is what training reads).
 *  2. Members train one after another, each on shuffled batches of 64 rows of that matrix, one optimiser
 *     step per `InferenceSession.run()` (forward, backward, Adam), with the official early-stopping rule
 *     (from epoch index `earlyStopFromEpoch` on, stop after more than `patience` steps without a new best
 *     batch loss) and the < minClassPixels cleanup of each annotation.
 *  3. Labeling an image: upsample + concatenate all maps to [L², dims], run every pixel through each
 *     member (softmax), label = per-pixel mode of the members' argmax (scipy.stats.mode: ties go to the
 *     smallest class id), uncertainty = H(mean p) − mean H(p).
 *
 * Same architecture, init (N(0, 0.02) weights drawn like ours from the seed), lr, batch and rule as ours;
 * only the algorithm differs.
 */
import * as ort from 'onnxruntime-node';
import { SeededRng } from '../../src/shared/rng';
import type { FeatureMaps, FeatureShape, InterpreterTrainOptions } from '../../src/shared/interpreter-types';
import { hiddenWidths, initEnsemble, sliceMembers } from '../../src/compute/interpreter/ensemble-params';
import { float16ToFloat32Table, float32BitsToFloat16 } from '../../src/compute/interpreter/train/float16';
import type { MemberWeights } from './naive-graphs';
import {
  NAIVE_RUNNING,
  NAIVE_TRAINABLE,
  buildMemberModel,
  buildStepModel,
  buildUpsampleModel,
  naiveStateNames,
} from './naive-graphs';

/** The same recipe options as ours (InterpreterTrainOptions), plus the official code's fp16 copy. */
export interface NaiveOptions extends Pick<
  InterpreterTrainOptions,
  'members' | 'batchSize' | 'maxEpochs' | 'earlyStopFromEpoch' | 'patience' | 'maxSteps' | 'seed' | 'lr' | 'threads'
> {
  /** The official cleanup: classes under this many pixels in an annotation become background (30). */
  minClassPixels: number;
  /** Keep the float16 copy next to the float32 matrix, as the official code does. */
  fp16Copy: boolean;
}

export interface NaiveSample {
  features: FeatureMaps;
  labels: Uint8Array;
}
export interface NaiveSource {
  count: number;
  load(i: number): Promise<NaiveSample>;
}

export interface FeatureMatrix {
  /** [pixels, dims] float32: what training reads. */
  x: Float32Array;
  /** The official float16 copy, when kept. */
  half: Uint16Array | null;
  y: Uint8Array;
  pixels: number;
  dims: number;
}

function sessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  const o: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', executionProviders: ['cpu'] };
  if (threads > 0) o.intraOpNumThreads = threads;
  return o;
}

/** The official per-annotation cleanup: classes (other than 0) with fewer than minPixels pixels become 0. */
export function cleanupLabels(labels: Uint8Array, minPixels: number): Uint8Array {
  const counts = new Array<number>(256).fill(0);
  for (const v of labels) counts[v]++;
  return labels.map((v) => (v !== 0 && counts[v] < minPixels ? 0 : v));
}

/** Upsamples + concatenates one image's maps to [L², D] with the upsampling graph. */
export class Upsampler {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly shapes: FeatureShape[],
  ) {}
  static async open(shapes: FeatureShape[], L: number, threads: number): Promise<Upsampler> {
    return new Upsampler(
      await ort.InferenceSession.create(buildUpsampleModel(shapes, L), sessionOptions(threads)),
      shapes,
    );
  }
  async run(maps: FeatureMaps): Promise<Float32Array> {
    const feeds: Record<string, ort.Tensor> = {};
    maps.forEach((m, i) => {
      feeds[`f_${i}`] = new ort.Tensor('float32', m.data, [1, m.channels, m.resolution, m.resolution]);
    });
    return (await this.session.run(feeds)).x.data as Float32Array;
  }
  async release(): Promise<void> {
    await this.session.release();
  }
}

/** prepare_data: the whole [images·L², dims] matrix (and the fp16 copy when asked). */
export async function materialiseFeatures(
  src: NaiveSource,
  shapes: FeatureShape[],
  L: number,
  o: Pick<NaiveOptions, 'fp16Copy' | 'minClassPixels' | 'threads'>,
): Promise<FeatureMatrix> {
  const D = shapes.reduce((a, s) => a + s.channels, 0);
  const P = L * L;
  const pixels = src.count * P;
  const up = await Upsampler.open(shapes, L, o.threads);
  const half = o.fp16Copy ? new Uint16Array(pixels * D) : null;
  let x = o.fp16Copy ? null : new Float32Array(pixels * D);
  const y = new Uint8Array(pixels);
  try {
    for (let i = 0; i < src.count; i++) {
      const s = await src.load(i);
      const f = await up.run(s.features);
      if (half) {
        const bits = new Uint32Array(f.buffer, f.byteOffset, f.length);
        const base = i * P * D;
        for (let k = 0; k < bits.length; k++) half[base + k] = float32BitsToFloat16(bits[k]);
      } else (x as Float32Array).set(f, i * P * D);
      y.set(cleanupLabels(s.labels, o.minClassPixels), i * P);
    }
  } finally {
    await up.release();
  }
  if (half) {
    // torch.FloatTensor(all_feature_maps_train_all): the float32 copy, with the float16 one still alive.
    const table = float16ToFloat32Table();
    x = new Float32Array(pixels * D);
    for (let k = 0; k < half.length; k++) x[k] = table[half[k]];
  }
  return { x: x as Float32Array, half, y, pixels, dims: D };
}

export interface NaiveTrainResult {
  members: MemberWeights[];
  steps: number[];
  hidden: [number, number];
  trainSeconds: number;
}

/** Trains the members one after another, one step per run(). */
export async function trainNaive(mat: FeatureMatrix, numClasses: number, o: NaiveOptions): Promise<NaiveTrainResult> {
  const t0 = performance.now();
  const D = mat.dims;
  const B = o.batchSize;
  const hidden = hiddenWidths(numClasses);
  const shape = { members: o.members, inputDims: D, hidden, numClasses };
  const init = initEnsemble(shape, o.seed);
  const session = await ort.InferenceSession.create(
    buildStepModel({ numClasses, lr: o.lr }),
    sessionOptions(o.threads),
  );
  const names = naiveStateNames();
  const dims2 = (p: string): number[] => {
    const [h1, h2] = hidden;
    const base = p.replace(/_[mv]$/, '');
    const table: Record<string, number[]> = { w1: [D, h1], w2: [h1, h2], w3: [h2, numClasses], b3: [1, numClasses] };
    if (table[base]) return table[base];
    return [1, /1$/.test(base) ? h1 : h2];
  };
  const stepsPerEpoch = Math.floor(mat.pixels / B);
  const X = new Float32Array(B * D);
  const Y = new BigInt64Array(B);
  const xT = new ort.Tensor('float32', X, [B, D]);
  const yT = new ort.Tensor('int64', Y, [B]);
  const perm = new Uint32Array(mat.pixels);
  const members: MemberWeights[] = [];
  const steps: number[] = [];
  try {
    for (let m = 0; m < o.members; m++) {
      const mine = sliceMembers(init, shape, m, m + 1).params;
      // Two state sets: the step reads one and writes its outputs into the other (pre-allocated), then they swap.
      let cur: Record<string, ort.Tensor> = {};
      let spare: Record<string, ort.Tensor> = {};
      for (const n of names) {
        const d = dims2(n);
        const size = d[0] * d[1];
        const isParam =
          (NAIVE_TRAINABLE as readonly string[]).includes(n) || (NAIVE_RUNNING as readonly string[]).includes(n);
        cur[n] = new ort.Tensor(
          'float32',
          isParam ? Float32Array.from(mine[n as keyof typeof mine]) : new Float32Array(size),
          d,
        );
        spare[n] = new ort.Tensor('float32', new Float32Array(size), d);
      }
      const rng = new SeededRng((o.seed * 7919 + m * 104729 + 1) >>> 0);
      let best = Number.POSITIVE_INFINITY;
      let count = 0;
      let t = 0;
      let stop = false;
      for (let epoch = 0; epoch < o.maxEpochs && !stop; epoch++) {
        for (let i = 0; i < perm.length; i++) perm[i] = i;
        for (let i = perm.length - 1; i > 0; i--) {
          const j = Math.floor(rng.nextDouble() * (i + 1));
          const s = perm[i];
          perm[i] = perm[j];
          perm[j] = s;
        }
        for (let k = 0; k < stepsPerEpoch; k++) {
          if (o.maxSteps !== null && t >= o.maxSteps) {
            stop = true;
            break;
          }
          for (let j = 0; j < B; j++) {
            const row = perm[k * B + j];
            X.set(mat.x.subarray(row * D, row * D + D), j * D);
            Y[j] = BigInt(mat.y[row]);
          }
          t += 1;
          const fetches: Record<string, ort.Tensor | null> = { loss: null };
          for (const n of names) fetches[`${n}_next`] = spare[n];
          const out = await session.run(
            { X: xT, Y: yT, t: new ort.Tensor('float32', Float32Array.of(t), [1]), ...cur },
            fetches,
          );
          // onnxruntime-node writes the outputs into the pre-allocated tensors: they are the new state.
          const used = cur;
          cur = spare;
          spare = used;
          const loss = (out.loss.data as Float32Array)[0];
          if (epoch >= o.earlyStopFromEpoch) {
            if (loss < best) {
              best = loss;
              count = 0;
            } else count += 1;
            if (count > o.patience) {
              stop = true;
              break;
            }
          }
        }
      }
      const w = {} as MemberWeights;
      for (const n of [...NAIVE_TRAINABLE, ...NAIVE_RUNNING]) w[n] = Float32Array.from(cur[n].data as Float32Array);
      members.push(w);
      steps.push(t);
    }
  } finally {
    await session.release();
  }
  return { members, steps, hidden, trainSeconds: (performance.now() - t0) / 1000 };
}

/** Labels images the official way: full upsampled matrix per image, every pixel through each member. */
export class NaiveLabeler {
  private constructor(
    private readonly up: Upsampler,
    private readonly sessions: ort.InferenceSession[],
    private readonly C: number,
    private readonly P: number,
  ) {}

  static async open(
    r: NaiveTrainResult,
    shapes: FeatureShape[],
    L: number,
    numClasses: number,
    threads: number,
  ): Promise<NaiveLabeler> {
    const D = shapes.reduce((a, s) => a + s.channels, 0);
    const sessions: ort.InferenceSession[] = [];
    for (const w of r.members)
      sessions.push(
        await ort.InferenceSession.create(buildMemberModel(w, D, r.hidden, numClasses), sessionOptions(threads)),
      );
    return new NaiveLabeler(await Upsampler.open(shapes, L, threads), sessions, numClasses, L * L);
  }

  async label(maps: FeatureMaps): Promise<{ labels: Uint8Array; uncertainty: Float32Array }> {
    const { C, P } = this;
    const x = await this.up.run(maps);
    const D = x.length / P;
    const xT = new ort.Tensor('float32', x, [P, D]);
    const votes = new Uint8Array(P * C);
    const meanP = new Float32Array(P * C);
    const meanH = new Float32Array(P);
    const N = this.sessions.length;
    for (const s of this.sessions) {
      const p = (await s.run({ x: xT })).probs.data as Float32Array;
      for (let px = 0; px < P; px++) {
        let arg = 0,
          h = 0;
        for (let c = 0; c < C; c++) {
          const v = p[px * C + c];
          if (v > p[px * C + arg]) arg = c;
          meanP[px * C + c] += v / N;
          if (v > 0) h -= v * Math.log(v);
        }
        votes[px * C + arg]++;
        meanH[px] += h / N;
      }
    }
    const labels = new Uint8Array(P);
    const uncertainty = new Float32Array(P);
    for (let px = 0; px < P; px++) {
      let pick = 0,
        h = 0;
      for (let c = 0; c < C; c++) {
        if (votes[px * C + c] > votes[px * C + pick]) pick = c; // strict: ties keep the smaller id, like scipy.stats.mode
        const q = meanP[px * C + c];
        if (q > 0) h -= q * Math.log(q);
      }
      labels[px] = pick;
      uncertainty[px] = h - meanH[px];
    }
    return { labels, uncertainty };
  }

  async release(): Promise<void> {
    await this.up.release();
    for (const s of this.sessions) await s.release();
  }
}
