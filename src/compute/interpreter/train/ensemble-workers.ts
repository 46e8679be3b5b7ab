/**
 * Trains the ensemble's members in worker threads, one group of members per core.
 *
 * Members are independent (own weights, own shuffle stream, own early stopping), so a group trains
 * exactly as it would inside the whole stack. onnxruntime-node runs a session on the calling thread
 * and the training graph's ~150 small ops per step keep about one core busy whatever the thread
 * count; two single-threaded sessions on two cores train the same members about twice as fast
 * (docs/interpreter.md, "Workers"). Every worker reads the one feature store through its shared
 * WebAssembly memory (no copy of the maps) and gathers its own batches.
 *
 * The threads are a TrainingPool (pool.ts), normally the caller's, kept across its training
 * calls. If the worker script cannot be started, training runs in this thread.
 */
import { availableParallelism } from 'node:os';
import type { EnsembleParams, EnsembleShape } from '../ensemble-params';
import { ALL_TENSORS, initEnsemble, sliceMembers, tensorSize } from '../ensemble-params';
import type { EnsembleTrainResult, StackProgress, TrainEnsembleArgs } from './ensemble';
import { trainEnsemble } from './ensemble';
import type { PoolJob, PoolSpec } from './pool';
import { PoolStartFailed, TrainingPool } from './pool';

/** Above this many feature dims 'auto' trains in one thread (see workerCount). */
export const WORKER_MAX_DIMS = 2048;

/**
 * Worker threads for `members` members of `inputDims` inputs: one per core (at most 4); one on a GPU
 * provider; one when the first layer is wide. At the demo's 784 dims a step is many small ops and two
 * workers train twice as fast. At a 512² generator's 6,016 dims two workers also train faster (w1's
 * update is a single-threaded WebAssembly pass per worker, train-sessions.ts), but each worker's
 * sessions and buffers took the training of 16 × 512² over the 1.5 GB it is held to; one session with
 * a thread per core stays under it (docs/benchmarks.md, "The first layer's update outside the graph").
 */
export function workerCount(
  requested: number | 'auto',
  members: number,
  executionProviders: string[],
  inputDims = 0,
): number {
  if (requested !== 'auto') return Math.max(1, Math.min(requested, members));
  if (executionProviders.some((p) => p !== 'cpu') || inputDims > WORKER_MAX_DIMS) return 1;
  return Math.max(1, Math.min(4, availableParallelism(), members));
}

function concatMembers(parts: EnsembleParams[]): EnsembleParams {
  const out = {} as EnsembleParams;
  for (const n of ALL_TENSORS) {
    const all = new Float32Array(parts.reduce((a, p) => a + p[n].length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p[n], at);
      at += p[n].length;
    }
    out[n] = all;
  }
  return out;
}

/** The session settings a pool for these calls needs (lr and patience are the same for every call of a run). */
export function poolSpec(
  numClasses: number,
  st: Pick<TrainEnsembleArgs['settings'], 'lr' | 'patience' | 'executionProviders' | 'threads'>,
  workers: number,
): PoolSpec {
  const threads = st.threads > 0 ? st.threads : Math.max(1, Math.floor(availableParallelism() / workers));
  return { numClasses, lr: st.lr, patience: st.patience, executionProviders: st.executionProviders, threads };
}

/**
 * trainEnsemble over workerCount(`workers`, …) threads of `pool` (of a pool opened for this call when
 * none is given); in this thread when that count is 1 or when the workers cannot start.
 */
export async function trainEnsembleParallel(
  args: TrainEnsembleArgs & { workers: number | 'auto'; pool?: TrainingPool | null; workerScript: URL | null },
): Promise<EnsembleTrainResult> {
  const wanted = workerCount(args.workers, args.memberImages.length, args.settings.executionProviders, args.store.dims);
  if (wanted <= 1) return trainEnsemble(args);
  const own = args.pool
    ? null
    : TrainingPool.open(wanted, poolSpec(args.numClasses, args.settings, wanted), args.workerScript);
  const pool = args.pool ?? own;
  try {
    if (pool && pool.size > 1) return await runOnPool(args, pool, Math.min(wanted, pool.size));
  } catch (e) {
    if (!(e instanceof PoolStartFailed)) throw e;
  } finally {
    await own?.dispose();
  }
  return trainEnsemble(args);
}

async function runOnPool(args: TrainEnsembleArgs, pool: TrainingPool, W: number): Promise<EnsembleTrainResult> {
  const N = args.memberImages.length;
  const D = args.store.dims;
  const st = args.settings;
  const shape: EnsembleShape = { members: N, inputDims: D, hidden: args.hidden, numClasses: args.numClasses };
  const init = args.init ?? initEnsemble(shape, st.seed);
  // Contiguous groups whose sizes differ by at most one; every group takes chunks of the K steps the
  // whole stack would (so each worker's chunk is its share of chunkBytes), whatever the grouping.
  const bounds = Array.from({ length: W + 1 }, (_, w) => Math.round((w * N) / W));
  const jobs: PoolJob[] = bounds.slice(0, W).map((from, w) => ({
    layout: args.store.workerLayout(w, st.batchSize * D),
    labels: args.labels,
    memberImages: args.memberImages.slice(from, bounds[w + 1]),
    firstMember: (args.firstMember ?? 0) + from,
    init: sliceMembers(init, shape, from, bounds[w + 1]).params,
    hidden: args.hidden,
    settings: st,
    chunkMembers: N,
    stackImages: args.stackImages ?? args.memberImages,
  }));

  const latest: (StackProgress | null)[] = new Array(W).fill(null);
  let lastLoss = Number.NaN;
  const results = await pool.run(
    jobs,
    (i, e) => {
      latest[i] = e;
      const seen = latest.filter((x): x is StackProgress => x !== null);
      const losses = seen.map((x) => x.loss).filter((l) => !Number.isNaN(l));
      if (losses.length) lastLoss = losses.reduce((a, b) => a + b, 0) / losses.length;
      // Groups that have not reported yet are expected to train as long as those that have.
      const perMember = seen.reduce((a, x) => a + x.expectedMemberSteps / x.members, 0) / seen.length;
      const reported = seen.reduce((a, x) => a + x.members, 0);
      args.onProgress?.({
        member: seen.reduce((a, x) => a + x.member, 0) + (N - reported),
        members: N,
        epoch: Math.max(...seen.map((x) => x.epoch)),
        step: Math.max(...seen.map((x) => x.step)),
        loss: lastLoss,
        memberSteps: seen.reduce((a, x) => a + x.memberSteps, 0),
        expectedMemberSteps: seen.reduce((a, x) => a + x.expectedMemberSteps, 0) + (N - reported) * perMember,
      });
    },
    args.signal,
  );
  const params = concatMembers(results.map((r) => r.params));
  for (const n of ALL_TENSORS)
    if (params[n].length !== tensorSize(n, shape)) throw new Error(`worker results: ${n} has the wrong size`);
  return {
    params,
    shape,
    steps: results.flatMap((r) => r.steps),
    stoppedEpoch: results.flatMap((r) => r.stoppedEpoch),
    provider: results[0].provider,
    threads: W,
  };
}
