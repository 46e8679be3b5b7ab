/**
 * Training worker threads kept for the length of one trainInterpreter call.
 *
 * A worker costs ~0.5–0.7 s to start (tsx's loader, onnxruntime-node, the ONNX builder) and its
 * session ~0.1 s more before its first step. trainInterpreter opens the pool as soon as it knows the
 * feature shapes, so the workers start while the remaining samples load, and every training call of
 * the run (cross-validation stacks, then the final ensemble) reuses the same threads and sessions.
 *
 * Protocol (train-worker.ts): the parent posts `{ type: 'job' }`, the string 'abort' (cancels the
 * running job between chunks) and `{ type: 'close' }`; a worker posts 'ready' once its session
 * exists, then progress, done or error per job. Threads are never terminate()d: terminating one
 * inside onnxruntime aborts the whole process, so they are asked to stop and awaited.
 */
import { Worker } from 'node:worker_threads';
import { workerScriptUrl } from '../../../node/worker-script';
import { UserError } from '../../../shared/errors';
import type { EnsembleParams } from '../ensemble-params';
import type { StoreLayout } from './pixel-features';
import type { EnsembleTrainResult, ProgressSink, TrainEnsembleArgs } from './ensemble';

/** What every job of a pool shares: its workers build their session from it before the first job. */
export interface PoolSpec {
  numClasses: number;
  lr: number;
  patience: number;
  executionProviders: string[];
  threads: number;
}

/** One worker's share of a training call. */
export interface PoolJob {
  layout: StoreLayout;
  labels: Uint8Array[];
  memberImages: number[][];
  firstMember: number;
  init: EnsembleParams;
  hidden: [number, number];
  settings: TrainEnsembleArgs['settings'];
  chunkMembers: number;
}

export type JobResult = Omit<EnsembleTrainResult, 'shape'>;

/** Parent → worker. */
export type PoolCommand = { type: 'job'; job: PoolJob } | 'abort' | { type: 'close' };

/** Worker → parent. */
export type PoolMessage =
  | { type: 'ready' }
  | { type: 'progress'; e: Parameters<ProgressSink>[0] }
  | { type: 'done'; result: JobResult }
  | { type: 'error'; message: string; user: boolean; aborted: boolean };

/** A worker that could not start: the caller trains in its own thread instead. */
export class PoolStartFailed extends Error {}

let builtWorker: string | null = null;

/** Where a built bundle (the app's compute process) keeps its training worker script. */
export function setTrainWorkerScript(file: string): void {
  builtWorker = file;
}

/**
 * The worker script: the built one when the compute process set it, else train-worker.ts through tsx's
 * loader, as the CLI and the tests run the sources. Without either, training runs in the caller's thread.
 */
function workerUrl(): URL | null {
  return workerScriptUrl(builtWorker, new URL('./worker-boot.mjs', import.meta.url), import.meta.url);
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  exited: Promise<void>;
  /** Set while a job runs: where this worker's messages go. */
  onMessage: ((m: PoolMessage) => void) | null;
  onFailure: ((e: Error) => void) | null;
  dead: Error | null;
}

export class TrainingPool {
  private readonly slots: Slot[];
  private closed = false;

  private constructor(url: URL, size: number, spec: PoolSpec) {
    this.slots = Array.from({ length: size }, () => TrainingPool.spawn(url, spec));
  }

  /** Starts `size` workers now (they load while the caller goes on); null where there is no worker script. */
  static open(size: number, spec: PoolSpec): TrainingPool | null {
    const url = workerUrl();
    return url && size > 1 ? new TrainingPool(url, size, spec) : null;
  }

  get size(): number {
    return this.slots.length;
  }

  private static spawn(url: URL, spec: PoolSpec): Slot {
    const worker = new Worker(url, { workerData: spec });
    let started = false;
    let markReady!: () => void;
    let failStart!: (e: Error) => void;
    const slot: Slot = {
      worker,
      onMessage: null,
      onFailure: null,
      dead: null,
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failStart = reject;
      }),
      exited: new Promise<void>((done) => worker.once('exit', () => done())),
    };
    slot.ready.catch(() => undefined); // observed by run(); a pool closed unused must not warn
    const fail = (e: Error) => {
      slot.dead ??= started ? e : new PoolStartFailed(e.message);
      if (!started) failStart(new PoolStartFailed(e.message));
      slot.onFailure?.(e);
    };
    worker.on('message', (m: PoolMessage) => {
      if (m.type === 'ready') {
        started = true;
        markReady();
        return;
      }
      if (!started && m.type === 'error') {
        fail(new Error(m.message));
        return;
      }
      slot.onMessage?.(m);
    });
    worker.on('error', (e) => fail(e));
    worker.on('exit', (code) => fail(new Error(`a training worker exited (code ${code})`)));
    return slot;
  }

  /**
   * Runs jobs[i] on worker i and resolves with their results in order. If one fails the others are
   * cancelled and awaited before the rejection; PoolStartFailed when a worker never got going.
   */
  async run(
    jobs: PoolJob[],
    onProgress: (worker: number, e: Parameters<ProgressSink>[0]) => void,
    signal?: AbortSignal,
  ): Promise<JobResult[]> {
    if (this.closed) throw new Error('the training pool is closed');
    if (jobs.length > this.slots.length) throw new Error(`${jobs.length} jobs for ${this.slots.length} workers`);
    const slots = this.slots.slice(0, jobs.length);
    await Promise.all(slots.map((s) => s.ready));
    const abortAll = () => {
      for (const s of slots) if (!s.dead) s.worker.postMessage('abort' satisfies PoolCommand);
    };
    signal?.addEventListener('abort', abortAll);
    const settled = jobs.map(
      (job, i) =>
        new Promise<JobResult>((resolve, reject) => {
          const s = slots[i];
          if (s.dead) {
            reject(s.dead);
            return;
          }
          s.onFailure = reject;
          s.onMessage = (m) => {
            if (m.type === 'progress') onProgress(i, m.e);
            else if (m.type === 'done') resolve(m.result);
            else if (m.type === 'error') {
              if (m.aborted && signal?.aborted) reject(signal.reason);
              else reject(m.user ? new UserError(m.message) : new Error(m.message));
            }
          };
          s.worker.postMessage({ type: 'job', job } satisfies PoolCommand);
        }),
    );
    try {
      // The first failure cancels the others; every job has finished before this returns or throws.
      const all = await Promise.allSettled(
        settled.map((p) =>
          p.catch((e: unknown) => {
            abortAll();
            throw e;
          }),
        ),
      );
      const failed = all.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return all.map((r) => (r as PromiseFulfilledResult<JobResult>).value);
    } finally {
      signal?.removeEventListener('abort', abortAll);
      for (const s of slots) {
        s.onMessage = null;
        s.onFailure = null;
      }
    }
  }

  /** Asks every worker to finish and waits until all have exited. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.slots) if (!s.dead) s.worker.postMessage({ type: 'close' } satisfies PoolCommand);
    await Promise.all(this.slots.map((s) => s.exited));
  }
}
