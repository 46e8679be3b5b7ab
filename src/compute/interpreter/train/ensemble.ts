/**
 * Trains the stacked ensemble with the ONNX training graph (graph.ts), chunk by chunk.
 *
 * Each member has its own training images (the same for the final ensemble; the fold's for
 * cross-validation, whose folds train together in one stack) and its own stream of pixels (batches.ts:
 * epochs of seeded shuffles under the official rule, random draws under the 'heldout' rule). A chunk of
 * K steps gathers, for each step and member, that member's next batch of pixel features from the
 * native-resolution store (never the whole pixel matrix), trains K optimiser steps on them (in one call
 * or one call per step: train-sessions.ts) and takes the state back. K is chosen so the chunk's
 * features fit `chunkBytes`; a chunk never crosses an epoch boundary (official) or a held-out evaluation
 * (heldout.ts). The official early-stopping rule runs inside the graph per step, so stopping is exact
 * per batch; the heldout rule stops members between chunks.
 */
import * as ort from 'onnxruntime-node';
import { UserError } from '../../../shared/errors';
import type { InterpreterTrainOptions } from '../../../shared/interpreter-types';
import type { EnsembleParams, EnsembleShape } from '../ensemble-params';
import { initEnsemble } from '../ensemble-params';
import { MAX_CHUNK_STEPS } from './graph';
import { openHeldoutSession, openTrainSession, type TrainSession } from './train-sessions';
import { HeldoutMonitor, HeldoutSample } from './heldout';
import { EpochPermutations, RandomDraws, type PixelDraws } from './batches';
import { expectedSteps, heldoutFloorSteps } from './expected-steps';
import { DepartedMembers, initialTrainState, selectMembers, trainedParams } from './state';
import type { PixelFeatureStore } from './pixel-features';
import type { SessionWithProvider } from '../../runtime/execution-provider';

/** The training options the ensemble loop reads (the rest are handled by trainInterpreter). */
export type EnsembleTrainSettings = Pick<
  InterpreterTrainOptions,
  | 'rule'
  | 'batchSize'
  | 'maxEpochs'
  | 'earlyStopFromEpoch'
  | 'patience'
  | 'heldoutPixels'
  | 'heldoutEvery'
  | 'heldoutPatience'
  | 'heldoutMinDelta'
  | 'heldoutMinPixels'
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

/** A stack's progress after each training call. */
export interface StackProgress {
  /** Members still training, of `members`. */
  member: number;
  members: number;
  epoch: number;
  /** Steps done by the stack's longest-training member. */
  step: number;
  /** Mean batch loss of the members that stepped in the call (the last finite one when none did; NaN before any). */
  loss: number;
  /** Steps done, summed over the members, and the steps they are expected to take in all (expected-steps.ts). */
  memberSteps: number;
  expectedMemberSteps: number;
}

export type ProgressSink = (e: StackProgress) => void;

/** The 'step' way's chunk budget (train-sessions.ts): at 512² two steps of 10 members. */
const STEP_CHUNK_BYTES = 32 * 1024 * 1024;

/** Steps per chunk: as many as fit `chunkBytes` of gathered features, at most MAX_CHUNK_STEPS. */
export function chunkSteps(chunkBytes: number, members: number, batch: number, dims: number): number {
  return Math.max(1, Math.min(MAX_CHUNK_STEPS, Math.floor(chunkBytes / (members * batch * dims * 4))));
}

/**
 * Takes stopped members out of the stack (their final state kept in `departed`), so the rest train
 * without carrying them: a stack of 5 members whose longest trains 4 % more steps than its mean spent
 * those steps on all 5. At least two members stay (stopped ones ride along, frozen): a one-member stack
 * takes another MatMul path in onnxruntime, and results must not depend on how members are grouped.
 */
function compact(
  departed: DepartedMembers,
  state: Record<string, ort.Tensor>,
  slots: number[],
): [Record<string, ort.Tensor>, number[]] {
  const act = state.active.data as Uint8Array;
  const keep = slots.map((_, s) => s).filter((s) => act[s]);
  for (let s = 0; keep.length < 2 && s < slots.length; s++) if (!act[s]) keep.push(s);
  if (keep.length === slots.length) return [state, slots];
  keep.sort((a, b) => a - b);
  departed.keep(
    state,
    slots,
    slots.map((_, s) => s).filter((s) => !keep.includes(s)),
  );
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
  /**
   * The images of the whole stack's members (default: these members'), from which the 'heldout' rule
   * sets its pixels aside: a part of an ensemble passes the whole stack's, so every part holds out the same.
   */
  stackImages?: number[][];
  /** Sessions of the training chunk and buildHeldoutLossModel kept by the caller (a pool worker's); else made and released here. */
  session?: TrainSession;
  heldoutSession?: () => Promise<SessionWithProvider>;
}

/** The batch losses of a call, one per member that stepped: its last finite loss of the call. */
function lastFiniteLosses(losses: Float32Array, k: number, n: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < n; s++)
    for (let kk = k - 1; kk >= 0; kk--) {
      const v = losses[kk * n + s];
      if (!Number.isNaN(v)) {
        out.push(v);
        break;
      }
    }
  return out;
}

export async function trainEnsemble(args: TrainEnsembleArgs): Promise<EnsembleTrainResult> {
  const { store, labels, memberImages, settings: st } = args;
  const N = memberImages.length;
  const B = st.batchSize;
  const D = store.dims;
  const L2 = store.labelResolution * store.labelResolution;
  const shape: EnsembleShape = { members: N, inputDims: D, hidden: args.hidden, numClasses: args.numClasses };
  const heldoutRule = st.rule === 'heldout';
  const sample = heldoutRule
    ? new HeldoutSample(args.stackImages ?? memberImages, labels, L2, st.heldoutPixels, D, st.seed)
    : null;
  // Pixels of each member's images (the heldout rule's draws skip the held-out ones).
  const trainPixels = memberImages.map((imgs) => imgs.length * L2);
  if (trainPixels.some((p) => Math.floor(p / B) < 1))
    throw new UserError(
      `Training needs at least ${B} annotated pixels; annotate more samples or lower the batch size.`,
    );
  // The heldout rule's floor: the official minimum of earlyStopFromEpoch epochs, at most heldoutMinPixels draws.
  const floorSteps = trainPixels.map((p) => heldoutFloorSteps(st, p));
  const firstEvaluation = Math.min(...floorSteps) - st.heldoutPatience * st.heldoutEvery;
  const first = args.firstMember ?? 0;
  const drawArgs = { pixels: trainPixels, batch: B, maxEpochs: st.maxEpochs, seed: st.seed, firstMember: first };
  const draws: PixelDraws = sample
    ? new RandomDraws(drawArgs, (m, px) => sample.excludes(memberImages[m][(px / L2) | 0], px % L2))
    : new EpochPermutations(drawArgs);
  const session =
    args.session ?? (await openTrainSession({ numClasses: args.numClasses, lr: st.lr, patience: st.patience }, st));
  const provider = session.provider.name;
  let ownHeldout: SessionWithProvider | null = null;

  try {
    const monitor = sample
      ? new HeldoutMonitor(
          sample,
          store,
          labels,
          memberImages,
          args.heldoutSession
            ? await args.heldoutSession()
            : (ownHeldout = await openHeldoutSession(args.numClasses, st)),
          st,
        )
      : null;
    // `state` is the stack that still trains, whose member s is member slots[s]. Members leave it
    // when they stop (compact), into `departed`.
    let state = initialTrainState(args.init ?? initEnsemble(shape, st.seed), shape);
    const departed = new DepartedMembers(N);
    let slots = [...memberImages.keys()];

    // The 'step' way runs one step per call whatever the chunk, so its chunks only bound the memory
    // the gathered batches take.
    const budget = session.way === 'step' ? Math.min(st.chunkBytes, STEP_CHUNK_BYTES) : st.chunkBytes;
    const maxK = chunkSteps(budget, args.chunkMembers ?? N, B, D);
    // The gather writes into the store's (shared) kernel memory; onnxruntime-node takes no
    // SharedArrayBuffer, so each member's batch is copied into the chunk right after it is gathered,
    // while it is still in cache (staging the whole chunk first made the copy ~5 % of a step).
    const staged = store.batchBuffer(B * D);
    const xBuf = new Float32Array(maxK * N * B * D);
    const yBuf = new BigInt64Array(maxK * N * B);
    const rows = new Uint32Array(B);
    const stoppedEpoch = new Array<number>(N).fill(-1);
    const stepsOf = new Array<number>(N).fill(0);
    const bigLabel = Array.from({ length: 256 }, (_, v) => BigInt(v));
    let stepsDone = 0;
    let lastLoss = Number.NaN;
    const cap = st.maxSteps ?? Number.POSITIVE_INFINITY;

    for (;;) {
      args.signal?.throwIfAborted();
      const act = state.active.data as Uint8Array;
      const n = slots.length;
      const live = slots.filter((_, s) => act[s]);
      if (!live.length || stepsDone >= cap) break;
      const toEval = monitor ? st.heldoutEvery - (stepsDone % st.heldoutEvery) : Number.POSITIVE_INFINITY;
      const k = Math.min(maxK, cap - stepsDone, toEval, ...live.map((m) => draws.stepsToBoundary(m)));
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
          const imgs = memberImages[m];
          draws.batch(m, kk, rows);
          for (let j = 0; j < B; j++) {
            const idx = rows[j];
            const li = (idx / L2) | 0;
            const pixel = idx - li * L2;
            store.gather(imgs[li], pixel, staged, j * D);
            y[row + j] = bigLabel[labels[imgs[li]][pixel]];
          }
          x.set(staged, row * D);
        }
      }
      const es = Uint8Array.from(slots, (m) => (!monitor && draws.epoch(m) >= st.earlyStopFromEpoch ? 1 : 0));
      const out = await session.train(state, { x, y, es, steps: k, members: n, batch: B, dims: D });
      const wasActive = Uint8Array.from(act);
      state = out.state;
      // The graph's flags are the official rule's verdict; epochs, the epoch cap and the held-out
      // loss are tracked here.
      const nowActive = Uint8Array.from(state.active.data as Uint8Array);
      const stop = (s: number, m: number) => {
        nowActive[s] = 0;
        stoppedEpoch[m] = draws.epoch(m);
      };
      for (const [s, m] of slots.entries()) {
        if (!wasActive[s]) continue;
        if (!nowActive[s]) {
          stoppedEpoch[m] = draws.epoch(m);
          continue;
        }
        stepsOf[m] += k;
        if (!draws.advance(m, k)) stop(s, m);
      }
      stepsDone += k;
      // No member may stop before its floor, so evaluations start only the patience's worth before it.
      if (monitor && stepsDone % st.heldoutEvery === 0 && stepsDone >= firstEvaluation) {
        const stale = await monitor.evaluate(state, slots, nowActive);
        stale.forEach((done, s) => done && stepsOf[slots[s]] >= floorSteps[slots[s]] && stop(s, slots[s]));
      }
      state.active = new ort.Tensor('bool', nowActive, [n]);
      const finite = lastFiniteLosses(out.losses, k, n);
      if (finite.length) lastLoss = finite.reduce((a, b) => a + b, 0) / finite.length;
      [state, slots] = compact(departed, state, slots);
      const activeNow = new Set(slots.filter((_, s) => (state.active.data as Uint8Array)[s]));
      args.onProgress?.({
        member: activeNow.size,
        members: N,
        epoch: Math.max(...live.map((m) => draws.epoch(m))),
        step: stepsDone,
        loss: lastLoss,
        memberSteps: stepsOf.reduce((a, b) => a + b, 0),
        expectedMemberSteps: memberImages.reduce(
          (a, _, m) =>
            a +
            (activeNow.has(m)
              ? expectedSteps(st, { steps: stepsOf[m], pixels: trainPixels[m], stale: monitor?.stale(m) ?? 0 })
              : stepsOf[m]),
          0,
        ),
      });
    }
    for (let m = 0; m < N; m++) if (stoppedEpoch[m] < 0) stoppedEpoch[m] = draws.epoch(m);

    const final = departed.assemble(state, slots);
    const params = trainedParams(final, shape);
    const steps = Array.from(final.steps.data as Float32Array, (v) => Math.round(v));
    return { params, shape, steps, stoppedEpoch, provider };
  } finally {
    if (!args.session) await session.dispose();
    await ownHeldout?.session.release();
  }
}
