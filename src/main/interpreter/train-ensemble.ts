/**
 * Trains the stacked ensemble with the ONNX training graph (train-graph.ts), chunk by chunk.
 *
 * Per epoch every member draws its own permutation of all training pixels (seeded Fisher–Yates, like
 * a shuffled DataLoader); a chunk of K steps gathers, for each step and member, that member's next 64
 * pixels' features from the native-resolution store (never the whole pixel matrix), runs K optimiser
 * steps in one call and takes the state back. K is chosen so the chunk's features fit `chunkBytes`.
 * Chunks never cross an epoch boundary, and the early-stopping rule runs inside the graph per step, so
 * stopping is exact per batch, not per chunk. A last partial batch of an epoch is its own one-step
 * chunk (a partial batch of one pixel is skipped: BatchNorm cannot train on a single value).
 */
import * as ort from 'onnxruntime-node';
import { SeededRng } from '../../shared/rng';
import type { InterpreterProgress } from '../../shared/interpreter-types';
import type { EnsembleParams, EnsembleShape } from './ensemble-params';
import { TRAINABLE, initEnsemble, tensorShape } from './ensemble-params';
import { buildTrainModel, carriedStateNames } from './train-graph';
import type { PixelFeatureStore } from './pixel-features';
import { createSession } from './session';

export interface EnsembleTrainSettings {
  members: number;
  batchSize: number;
  maxEpochs: number;
  earlyStopFromEpoch: number;
  patience: number;
  maxSteps: number | null;
  seed: number;
  lr: number;
  chunkBytes: number;
  executionProviders: string[];
  threads: number;
}

export interface EnsembleTrainResult {
  params: EnsembleParams;
  shape: EnsembleShape;
  steps: number[];
  stoppedEpoch: number[];
  provider: string;
}

export type ProgressSink = (e: Omit<InterpreterProgress, 'phase' | 'fold' | 'folds'>) => void;

/** Member m's shuffle stream: distinct per member, fixed by the seed. */
function memberRng(seed: number, member: number): SeededRng {
  return new SeededRng((Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(member + 1, 0x85ebca6b)) >>> 0);
}

function shuffleInPlace(a: Uint32Array, rng: SeededRng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.nextDouble() * (i + 1));
    const t = a[i]; a[i] = a[j]; a[j] = t;
  }
}

export async function trainEnsemble(args: {
  store: PixelFeatureStore;
  labels: Uint8Array[];
  images: number[];
  numClasses: number;
  hidden: [number, number];
  settings: EnsembleTrainSettings;
  onProgress?: ProgressSink;
  signal?: AbortSignal;
}): Promise<EnsembleTrainResult> {
  const { store, labels, images, settings: st } = args;
  const N = st.members;
  const B = st.batchSize;
  const D = store.dims;
  const L2 = store.labelResolution * store.labelResolution;
  const shape: EnsembleShape = { members: N, inputDims: D, hidden: args.hidden, numClasses: args.numClasses };
  const { session, provider } = await createSession(
    buildTrainModel({ numClasses: args.numClasses, lr: st.lr, patience: st.patience }), st.executionProviders, st.threads);

  try {
    const init = initEnsemble(shape, st.seed);
    const state: Record<string, ort.Tensor> = {};
    for (const name of carriedStateNames()) {
      const base = name.replace(/_[mv]$/, '') as keyof EnsembleParams;
      if (name === 'steps') state[name] = new ort.Tensor('float32', new Float32Array(N), [N, 1, 1]);
      else if (name === 'best') state[name] = new ort.Tensor('float32', new Float32Array(N).fill(10000000), [N]);
      else if (name === 'count') state[name] = new ort.Tensor('float32', new Float32Array(N), [N]);
      else if (name === 'active') state[name] = new ort.Tensor('bool', new Uint8Array(N).fill(1), [N]);
      else {
        const dims = tensorShape(base, shape);
        const data = name === base ? init[base] : new Float32Array(dims.reduce((a, b) => a * b, 1));
        state[name] = new ort.Tensor('float32', data, dims);
      }
    }

    const P = images.length * L2;
    const fullSteps = Math.floor(P / B);
    const tail = P - fullSteps * B;
    const maxK = Math.max(1, Math.min(256, Math.floor(st.chunkBytes / (N * B * D * 4))));
    const xBuf = new Float32Array(maxK * N * B * D);
    const yBuf = new BigInt64Array(maxK * N * B);
    const perms = Array.from({ length: N }, () => new Uint32Array(P));
    const rngs = Array.from({ length: N }, (_, m) => memberRng(st.seed, m));
    const stoppedEpoch = new Array<number>(N).fill(-1);
    let stepsDone = 0;
    const cap = st.maxSteps ?? Number.POSITIVE_INFINITY;

    for (let epoch = 0; epoch < st.maxEpochs && stepsDone < cap; epoch++) {
      const active = state.active.data as Uint8Array;
      if (!active.some((a) => a)) break;
      for (let m = 0; m < N; m++) {
        if (!active[m]) continue;
        const perm = perms[m];
        for (let i = 0; i < P; i++) perm[i] = i;
        shuffleInPlace(perm, rngs[m]);
      }
      const es = new ort.Tensor('bool', new Uint8Array([epoch >= st.earlyStopFromEpoch ? 1 : 0]), []);
      // Chunks of full batches, then the partial tail batch (if it has at least two pixels).
      const plan: { start: number; k: number; b: number }[] = [];
      for (let s = 0; s < fullSteps; s += maxK) plan.push({ start: s * B, k: Math.min(maxK, fullSteps - s), b: B });
      if (tail >= 2) plan.push({ start: fullSteps * B, k: 1, b: tail });
      for (const c of plan) {
        args.signal?.throwIfAborted();
        const act = state.active.data as Uint8Array;
        if (!act.some((a) => a) || stepsDone >= cap) break;
        const k = Math.min(c.k, cap - stepsDone);
        const x = xBuf.subarray(0, k * N * c.b * D);
        const y = yBuf.subarray(0, k * N * c.b);
        for (let kk = 0; kk < k; kk++) {
          for (let m = 0; m < N; m++) {
            const row = (kk * N + m) * c.b;
            if (!act[m]) { x.fill(0, row * D, (row + c.b) * D); y.fill(0n, row, row + c.b); continue; }
            const perm = perms[m];
            for (let j = 0; j < c.b; j++) {
              const idx = perm[c.start + kk * c.b + j];
              const li = (idx / L2) | 0;
              const pixel = idx - li * L2;
              store.gather(images[li], pixel, x, (row + j) * D);
              y[row + j] = BigInt(labels[images[li]][pixel]);
            }
          }
        }
        const feeds: Record<string, ort.Tensor> = {
          ...state,
          X: new ort.Tensor('float32', x, [k, N, c.b, D]),
          Y: new ort.Tensor('int64', y, [k, N, c.b]),
          es,
        };
        const out = await session.run(feeds);
        const wasActive = Uint8Array.from(act);
        for (const name of carriedStateNames()) state[name] = out[`${name}_out`];
        const nowActive = state.active.data as Uint8Array;
        for (let m = 0; m < N; m++) if (wasActive[m] && !nowActive[m]) stoppedEpoch[m] = epoch;
        stepsDone += k;
        const losses = out.losses.data as Float32Array;
        let sum = 0, cnt = 0;
        for (let m = 0; m < N; m++) { const v = losses[(k - 1) * N + m]; if (!Number.isNaN(v)) { sum += v; cnt++; } }
        args.onProgress?.({ member: nowActive.reduce((a, b) => a + b, 0), members: N, epoch, step: stepsDone, loss: cnt ? sum / cnt : Number.NaN });
      }
      const act = state.active.data as Uint8Array;
      for (let m = 0; m < N; m++) if (act[m]) stoppedEpoch[m] = epoch;
    }

    const params = {} as EnsembleParams;
    for (const name of [...TRAINABLE, 'rm1', 'rv1', 'rm2', 'rv2'] as const) params[name] = Float32Array.from(state[name].data as Float32Array);
    const steps = Array.from(state.steps.data as Float32Array, (v) => Math.round(v));
    return { params, shape, steps, stoppedEpoch, provider };
  } finally {
    await session.release();
  }
}
