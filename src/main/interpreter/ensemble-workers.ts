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
 * If the worker script cannot be started, training runs in this thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../../shared/errors';
import type { EnsembleParams, EnsembleShape } from './ensemble-params';
import { ALL_TENSORS, initEnsemble, sliceMembers, tensorSize } from './ensemble-params';
import type { StoreLayout } from './pixel-features';
import type { EnsembleTrainResult, ProgressSink, TrainEnsembleArgs } from './train-ensemble';
import { trainEnsemble } from './train-ensemble';

/** What a worker is given (workerData). */
export interface WorkerJob {
  layout: StoreLayout;
  labels: Uint8Array[];
  memberImages: number[][];
  firstMember: number;
  init: EnsembleParams;
  numClasses: number;
  hidden: [number, number];
  settings: TrainEnsembleArgs['settings'];
}

/** What a worker posts back. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; e: Parameters<ProgressSink>[0] }
  | { type: 'done'; result: Omit<EnsembleTrainResult, 'shape'> }
  | { type: 'error'; message: string; user: boolean; aborted: boolean };

/** Above this many feature dims 'auto' trains in one thread (see workerCount). */
export const WORKER_MAX_DIMS = 2048;

/**
 * Worker threads for `members` members of `inputDims` inputs: one per core (at most 4); one on a GPU
 * provider; one when the first layer is wide. At the demo's 784 dims a step is many small ops and
 * two workers train twice as fast; at a 512² generator's 6,016 dims the first layer's MatMuls
 * already keep both cores busy, the step ratio to the naive method stayed 1.24 with or without
 * workers, and the workers' second session added ~0.5 GB to the peak (1.88 against 1.39 GB,
 * bench/interpreter-parts/memory-probe.ts 40 16), too close to the 2 GB bound.
 */
export function workerCount(requested: number | 'auto', members: number, executionProviders: string[], inputDims = 0): number {
  if (requested !== 'auto') return Math.max(1, Math.min(requested, members));
  if (executionProviders.some((p) => p !== 'cpu') || inputDims > WORKER_MAX_DIMS) return 1;
  return Math.max(1, Math.min(4, availableParallelism(), members));
}

/**
 * The worker script: train-worker.ts through tsx's loader, as the CLI and the tests run the sources.
 * A bundle (the Electron main build, which does not train) has no such file: it trains in-thread.
 */
function workerUrl(): URL | null {
  const boot = new URL('./train-worker-boot.mjs', import.meta.url);
  return import.meta.url.endsWith('.ts') && existsSync(fileURLToPath(boot)) ? boot : null;
}

function concatMembers(parts: EnsembleParams[]): EnsembleParams {
  const out = {} as EnsembleParams;
  for (const n of ALL_TENSORS) {
    const all = new Float32Array(parts.reduce((a, p) => a + p[n].length, 0));
    let at = 0;
    for (const p of parts) { all.set(p[n], at); at += p[n].length; }
    out[n] = all;
  }
  return out;
}

class StartFailed extends Error {}

/** trainEnsemble over workerCount(`workers`, …) threads (in this thread when 1 or when workers cannot start). */
export async function trainEnsembleParallel(args: TrainEnsembleArgs & { workers: number | 'auto' }): Promise<EnsembleTrainResult> {
  const W = workerCount(args.workers, args.memberImages.length, args.settings.executionProviders, args.store.dims);
  const url = W > 1 ? workerUrl() : null;
  if (!url) return trainEnsemble(args);
  try {
    return await runWorkers(args, W, url);
  } catch (e) {
    if (!(e instanceof StartFailed)) throw e;
    return trainEnsemble(args);
  }
}

async function runWorkers(args: TrainEnsembleArgs, W: number, url: URL): Promise<EnsembleTrainResult> {
  const N = args.memberImages.length;
  const D = args.store.dims;
  const st = args.settings;
  const shape: EnsembleShape = { members: N, inputDims: D, hidden: args.hidden, numClasses: args.numClasses };
  const init = args.init ?? initEnsemble(shape, st.seed);
  const threads = st.threads > 0 ? st.threads : Math.max(1, Math.floor(availableParallelism() / W));
  // Contiguous groups whose sizes differ by at most one; each worker's chunk is its share of chunkBytes.
  const bounds = Array.from({ length: W + 1 }, (_, w) => Math.round((w * N) / W));
  const chunkBytes = Math.max(1, Math.floor(st.chunkBytes / W));
  const jobs: WorkerJob[] = [];
  for (let w = 0; w < W; w++) {
    const [from, to] = [bounds[w], bounds[w + 1]];
    jobs.push({
      layout: args.store.workerLayout(w, st.batchSize * D),
      labels: args.labels, memberImages: args.memberImages.slice(from, to), firstMember: (args.firstMember ?? 0) + from,
      init: sliceMembers(init, shape, from, to).params, numClasses: args.numClasses, hidden: args.hidden,
      settings: { ...st, chunkBytes, threads },
    });
  }

  const workers: Worker[] = [];
  const exited: Promise<void>[] = [];
  const latest: (Parameters<ProgressSink>[0] | null)[] = new Array(W).fill(null);
  let started = 0;
  const onAbort = () => { for (const w of workers) w.postMessage('abort'); };
  args.signal?.addEventListener('abort', onAbort);
  try {
    const results = await Promise.all(jobs.map((job, i) => new Promise<Omit<EnsembleTrainResult, 'shape'>>((resolve, reject) => {
      const worker = new Worker(url, { workerData: job });
      workers.push(worker);
      exited.push(new Promise((done) => worker.once('exit', () => done())));
      let ready = false;
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') { ready = true; started++; return; }
        if (m.type === 'progress') {
          latest[i] = m.e;
          const seen = latest.filter((x): x is NonNullable<typeof x> => x !== null);
          const losses = seen.map((x) => x.loss).filter((l) => !Number.isNaN(l));
          args.onProgress?.({
            member: seen.reduce((a, x) => a + x.member, 0), members: N, epoch: Math.max(...seen.map((x) => x.epoch)),
            step: Math.max(...seen.map((x) => x.step)), loss: losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : Number.NaN,
          });
          return;
        }
        if (m.type === 'done') { resolve(m.result); return; }
        if (m.aborted && args.signal?.aborted) reject(args.signal.reason);
        else reject(m.user ? new UserError(m.message) : new Error(m.message));
      });
      worker.on('error', (e) => reject(ready ? e : new StartFailed(String(e))));
      worker.on('exit', (code) => { if (code !== 0) reject(ready ? new Error(`training worker exited with code ${code}`) : new StartFailed(`exit ${code}`)); });
    })));
    const params = concatMembers(results.map((r) => r.params));
    for (const n of ALL_TENSORS) if (params[n].length !== tensorSize(n, shape)) throw new Error(`worker results: ${n} has the wrong size`);
    return {
      params, shape, steps: results.flatMap((r) => r.steps), stoppedEpoch: results.flatMap((r) => r.stoppedEpoch),
      provider: results[0].provider,
    };
  } catch (e) {
    // The others stop at their next chunk; terminate() while a worker is inside onnxruntime would
    // take the whole process down, so they are asked, and awaited.
    onAbort();
    await Promise.all(exited);
    // A start failure is only a fallback when no worker got going (otherwise it is a real error).
    if (e instanceof StartFailed && started > 0) throw new Error(`a training worker failed to start: ${e.message}`);
    throw e;
  } finally {
    args.signal?.removeEventListener('abort', onAbort);
  }
}
