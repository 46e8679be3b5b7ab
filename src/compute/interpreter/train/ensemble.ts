/**
 * Trains the stacked ensemble with the ONNX training graph (graph.ts), chunk by chunk.
 *
 * Each member has its own training images (the same for the final ensemble; the fold's for
 * cross-validation, whose folds train together in one stack), its own permutation of their pixels per
 * epoch (seeded Fisher–Yates, like a shuffled DataLoader) and its own epoch counter. A chunk of K steps
 * gathers, for each step and member, that member's next batch of pixel features from the
 * native-resolution store (never the whole pixel matrix), runs K optimiser steps in one call and takes
 * the state back. K is chosen so the chunk's features fit `chunkBytes` and no member crosses an epoch
 * boundary inside a chunk; the early-stopping rule runs inside the graph per step, so stopping is exact
 * per batch. Batches are full (drop_last): with label sides that are multiples of 8 there is no
 * partial batch at all; otherwise the < 64 leftover pixels of an epoch wait for the next shuffle.
 */
import * as ort from 'onnxruntime-node';
import { SeededRng } from '../../../shared/rng';
import { UserError } from '../../../shared/errors';
import type { InterpreterProgress, InterpreterTrainOptions } from '../../../shared/interpreter-types';
import type { EnsembleParams, EnsembleShape } from '../ensemble-params';
import { initEnsemble } from '../ensemble-params';
import { MAX_CHUNK_STEPS, buildTrainModel } from './graph';
import {
  carriedStateNames,
  initialTrainState,
  resizedLike,
  scatterMembers,
  selectMembers,
  trainedParams,
} from './state';
import type { PixelFeatureStore } from './pixel-features';
import { openSession, type SessionWithProvider } from '../../runtime/execution-provider';

/** The training options the ensemble loop reads (the rest are handled by trainInterpreter). */
export type EnsembleTrainSettings = Pick<
  InterpreterTrainOptions,
  | 'batchSize'
  | 'maxEpochs'
  | 'earlyStopFromEpoch'
  | 'patience'
  | 'maxSteps'
  | 'seed'
  | 'lr'
  | 'chunkBytes'
  | 'executionProviders'
  | 'threads'
>;

export interface EnsembleTrainResult {
  params: EnsembleParams;
  shape: EnsembleShape;
  steps: number[];
  stoppedEpoch: number[];
  provider: string;
  /** Threads that trained these members (1 when the caller's own thread did). */
  threads?: number;
}

export type ProgressSink = (e: Omit<InterpreterProgress, 'phase' | 'fold' | 'folds' | 'stackFolds'>) => void;

/** Member m's shuffle stream: distinct per member, fixed by the seed. */
function memberRng(seed: number, member: number): SeededRng {
  return new SeededRng((Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(member + 1, 0x85ebca6b)) >>> 0);
}

function shuffleInPlace(a: Uint32Array, rng: SeededRng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.nextDouble() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** Steps per chunk: as many as fit `chunkBytes` of gathered features, at most MAX_CHUNK_STEPS. */
export function chunkSteps(chunkBytes: number, members: number, batch: number, dims: number): number {
  return Math.max(1, Math.min(MAX_CHUNK_STEPS, Math.floor(chunkBytes / (members * batch * dims * 4))));
}

/** Every member's state, made when the first member leaves the stack. */
interface Whole {
  members: number;
  state: Record<string, ort.Tensor> | null;
}

/**
 * Takes stopped members out of the stack (their state kept in `whole`), so the rest train without
 * carrying them: a stack of 5 members whose longest trains 4 % more steps than its mean spent those
 * steps on all 5. At least two members stay (stopped ones ride along, frozen): a one-member stack
 * takes another MatMul path in onnxruntime, and results must not depend on how members are grouped.
 */
function compact(
  whole: Whole,
  state: Record<string, ort.Tensor>,
  slots: number[],
): [Record<string, ort.Tensor>, number[]] {
  const act = state.active.data as Uint8Array;
  const keep = slots.map((_, s) => s).filter((s) => act[s]);
  for (let s = 0; keep.length < 2 && s < slots.length; s++) if (!act[s]) keep.push(s);
  if (keep.length === slots.length) return [state, slots];
  keep.sort((a, b) => a - b);
  whole.state ??= resizedLike(state, whole.members);
  scatterMembers(whole.state, state, slots);
  return [selectMembers(state, keep), keep.map((s) => slots[s])];
}

export interface TrainEnsembleArgs {
  store: PixelFeatureStore;
  labels: Uint8Array[];
  /** Training images of each member (its length is the number of members). */
  memberImages: number[][];
  /** Index of the first member in the whole ensemble (its shuffle stream), when this is a part of it. */
  firstMember?: number;
  /** Initial weights (default: initEnsemble of the seed); a part of an ensemble gets its members' slice. */
  init?: EnsembleParams;
  numClasses: number;
  hidden: [number, number];
  settings: EnsembleTrainSettings;
  onProgress?: ProgressSink;
  signal?: AbortSignal;
  /**
   * Members the chunk size K is computed for (default: these). A part of an ensemble passes the whole
   * stack's count: the moments' rescaling at the end of a chunk rounds differently for another K, and
   * results must not depend on how members are grouped into workers.
   */
  chunkMembers?: number;
  /** A session of buildTrainModel for these classes and settings, kept by the caller (a pool worker's); else one is made and released here. */
  session?: SessionWithProvider;
}

export async function trainEnsemble(args: TrainEnsembleArgs): Promise<EnsembleTrainResult> {
  const { store, labels, memberImages, settings: st } = args;
  const N = memberImages.length;
  const B = st.batchSize;
  const D = store.dims;
  const L2 = store.labelResolution * store.labelResolution;
  const shape: EnsembleShape = { members: N, inputDims: D, hidden: args.hidden, numClasses: args.numClasses };
  const stepsPerEpoch = memberImages.map((imgs) => Math.floor((imgs.length * L2) / B));
  if (stepsPerEpoch.some((k) => k < 1))
    throw new UserError(
      `Training needs at least ${B} annotated pixels; annotate more samples or lower the batch size.`,
    );
  const opened =
    args.session ??
    (await openSession(buildTrainModel({ numClasses: args.numClasses, lr: st.lr, patience: st.patience }), {
      provider: st.executionProviders,
      threads: st.threads,
    }));
  const { session } = opened;
  const provider = opened.provider.name;

  try {
    // `state` is the stack that still trains, whose member s is member slots[s]. Members leave it
    // when they stop (compact); `whole` keeps every member's state from the first departure on (not
    // before: at 512² a copy of the state is ~90 MB).
    let state = initialTrainState(args.init ?? initEnsemble(shape, st.seed), shape);
    const whole: Whole = { members: N, state: null };
    let slots = [...memberImages.keys()];

    const maxK = chunkSteps(st.chunkBytes, args.chunkMembers ?? N, B, D);
    // The gather writes into the store's (shared) kernel memory; onnxruntime-node takes no
    // SharedArrayBuffer, so each member's batch is copied into the chunk right after it is gathered,
    // while it is still in cache (staging the whole chunk first made the copy ~5 % of a step).
    const staged = store.batchBuffer(B * D);
    const xBuf = new Float32Array(maxK * N * B * D);
    const yBuf = new BigInt64Array(maxK * N * B);
    const perms = memberImages.map((imgs) => new Uint32Array(imgs.length * L2));
    const rngs = memberImages.map((_, m) => memberRng(st.seed, (args.firstMember ?? 0) + m));
    const epoch = new Array<number>(N).fill(0);
    const cursor = new Array<number>(N).fill(0); // steps done in the member's current epoch
    const stoppedEpoch = new Array<number>(N).fill(-1);
    const reshuffle = (m: number) => {
      const perm = perms[m];
      for (let i = 0; i < perm.length; i++) perm[i] = i;
      shuffleInPlace(perm, rngs[m]);
    };
    for (let m = 0; m < N; m++) reshuffle(m);
    const bigLabel = Array.from({ length: 256 }, (_, v) => BigInt(v));
    let stepsDone = 0;
    const cap = st.maxSteps ?? Number.POSITIVE_INFINITY;

    for (;;) {
      args.signal?.throwIfAborted();
      const act = state.active.data as Uint8Array;
      const n = slots.length;
      const live = slots.filter((_, s) => act[s]);
      if (!live.length || stepsDone >= cap) break;
      const k = Math.min(maxK, cap - stepsDone, ...live.map((m) => stepsPerEpoch[m] - cursor[m]));
      const x = xBuf.subarray(0, k * n * B * D);
      const y = yBuf.subarray(0, k * n * B);
      for (let kk = 0; kk < k; kk++) {
        for (const [s, m] of slots.entries()) {
          const row = (kk * n + s) * B;
          if (!act[s]) {
            x.fill(0, row * D, (row + B) * D);
            y.fill(0n, row, row + B);
            continue;
          }
          const perm = perms[m];
          const imgs = memberImages[m];
          const first = (cursor[m] + kk) * B;
          for (let j = 0; j < B; j++) {
            const idx = perm[first + j];
            const li = (idx / L2) | 0;
            const pixel = idx - li * L2;
            store.gather(imgs[li], pixel, staged, j * D);
            y[row + j] = bigLabel[labels[imgs[li]][pixel]];
          }
          x.set(staged, row * D);
        }
      }
      const es = Uint8Array.from(slots, (m) => (epoch[m] >= st.earlyStopFromEpoch ? 1 : 0));
      const out = await session.run({
        ...state,
        X: new ort.Tensor('float32', x, [k, n, B, D]),
        Y: new ort.Tensor('int64', y, [k, n, B]),
        es: new ort.Tensor('bool', es, [n]),
      });
      const wasActive = Uint8Array.from(act);
      state = Object.fromEntries(carriedStateNames().map((name) => [name, out[`${name}_out`]]));
      // The graph's flags are the rule's verdict; epochs and the epoch cap are tracked here.
      const nowActive = Uint8Array.from(state.active.data as Uint8Array);
      for (const [s, m] of slots.entries()) {
        if (!wasActive[s]) continue;
        if (!nowActive[s]) {
          stoppedEpoch[m] = epoch[m];
          continue;
        }
        cursor[m] += k;
        if (cursor[m] === stepsPerEpoch[m]) {
          cursor[m] = 0;
          if (epoch[m] + 1 >= st.maxEpochs) {
            nowActive[s] = 0;
            stoppedEpoch[m] = epoch[m];
          } else {
            epoch[m] += 1;
            reshuffle(m);
          }
        }
      }
      state.active = new ort.Tensor('bool', nowActive, [n]);
      stepsDone += k;
      const losses = out.losses.data as Float32Array;
      let sum = 0,
        cnt = 0;
      for (let s = 0; s < n; s++) {
        const v = losses[(k - 1) * n + s];
        if (!Number.isNaN(v)) {
          sum += v;
          cnt++;
        }
      }
      [state, slots] = compact(whole, state, slots);
      args.onProgress?.({
        member: nowActive.reduce((a, b) => a + b, 0),
        members: N,
        epoch: Math.max(...live.map((m) => epoch[m])),
        step: stepsDone,
        loss: cnt ? sum / cnt : Number.NaN,
      });
    }
    for (let m = 0; m < N; m++) if (stoppedEpoch[m] < 0) stoppedEpoch[m] = epoch[m];

    if (whole.state) scatterMembers(whole.state, state, slots);
    const final = whole.state ?? state;
    const params = trainedParams(final, shape);
    const steps = Array.from(final.steps.data as Float32Array, (v) => Math.round(v));
    return { params, shape, steps, stoppedEpoch, provider };
  } finally {
    if (!args.session) await session.release();
  }
}
