/**
 * Training worker threads kept for the length of one trainInterpreter call.
 *
 * A worker costs a noticeable start (tsx's loader, onnxruntime-node, the ONNX builder) and its session
 * more before its first step. trainInterpreter opens the pool as soon as it knows the feature shapes,
 * so the workers start while the remaining samples load, and every training call of the run
 * (cross-validation stacks, then the final ensemble) reuses the same threads and sessions.
 *
 * Each worker serves TrainWorkerService over the typed RPC (src/shared/rpc.ts): `open` builds its
 * session, `train` trains one group of members on the shared feature store with progress and cancel.
 * Threads are never terminate()d (WorkerConnection): they are asked to close and awaited.
 */
import type { Disposable } from '../../../shared/lifecycle';
import { abortError, type CallControl, type MethodTable } from '../../../shared/rpc';
import { WorkerConnection } from '../../../node/worker-rpc';
import type { EnsembleParams } from '../ensemble-params';
import type { StoreLayout } from './pixel-features';
import type { EnsembleTrainResult, StackProgress, TrainEnsembleArgs } from './ensemble';

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
  stackImages: number[][];
}

export type JobResult = Omit<EnsembleTrainResult, 'shape'>;
export type PoolProgress = StackProgress;

/** A training worker's service (worker.ts serves it). */
export interface TrainWorkerService {
  /** Builds the worker's training session. */
  open(spec: PoolSpec): Promise<void>;
  /** Trains one group of members; cancelled between chunks. */
  train(job: PoolJob, ctl?: CallControl<PoolProgress>): Promise<JobResult>;
}

export const TRAIN_WORKER_METHODS = {
  open: { doing: 'starting' },
  train: { doing: 'training' },
} as const satisfies MethodTable<TrainWorkerService>;

/** A worker that could not start: the caller trains in its own thread instead. */
export class PoolStartFailed extends Error {}

interface Slot {
  thread: WorkerConnection<TrainWorkerService>;
  /** Settles when the worker's session exists; PoolStartFailed when it never will. */
  opened: Promise<void>;
}

export class TrainingPool implements Disposable {
  private readonly slots: Slot[];
  private disposed = false;

  private constructor(script: URL, size: number, spec: PoolSpec) {
    this.slots = Array.from({ length: size }, () => {
      const thread = new WorkerConnection<TrainWorkerService>(script, TRAIN_WORKER_METHODS, 'A training worker');
      const opened = thread.service.open(spec).catch((e: unknown) => {
        throw new PoolStartFailed(e instanceof Error ? e.message : String(e));
      });
      opened.catch(() => undefined); // observed by run(); a pool disposed unused must not warn
      return { thread, opened };
    });
  }

  /** Starts `size` workers from `script` now (they load while the caller goes on); null without a script. */
  static open(size: number, spec: PoolSpec, script: URL | null): TrainingPool | null {
    return script && size > 1 ? new TrainingPool(script, size, spec) : null;
  }

  get size(): number {
    return this.slots.length;
  }

  /**
   * Runs jobs[i] on worker i and resolves with their results in order. If one fails the others are
   * cancelled and awaited before the first failure is thrown; PoolStartFailed when a worker never got going.
   */
  async run(
    jobs: PoolJob[],
    onProgress: (worker: number, e: PoolProgress) => void,
    signal?: AbortSignal,
  ): Promise<JobResult[]> {
    if (this.disposed) throw new Error('The training pool is closed.');
    if (jobs.length > this.slots.length) throw new Error(`${jobs.length} jobs for ${this.slots.length} workers`);
    const slots = this.slots.slice(0, jobs.length);
    await Promise.all(slots.map((s) => s.opened));
    // One signal for every job: the caller's, or the first failure's.
    const all = new AbortController();
    const forward = () => all.abort(signal?.reason);
    signal?.addEventListener('abort', forward);
    let firstFailure: unknown = null;
    try {
      const settled = await Promise.allSettled(
        jobs.map((job, i) =>
          slots[i].thread.service
            .train(job, { signal: all.signal, onProgress: (e) => onProgress(i, e) })
            .catch((e: unknown) => {
              if (!all.signal.aborted) {
                firstFailure ??= e;
                all.abort(e);
              }
              throw e;
            }),
        ),
      );
      if (firstFailure !== null) throw firstFailure;
      if (signal?.aborted) throw abortError(signal);
      return settled.map((r) => (r as PromiseFulfilledResult<JobResult>).value);
    } finally {
      signal?.removeEventListener('abort', forward);
    }
  }

  /** Asks every worker to finish and waits until all have exited. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all(this.slots.map((s) => s.thread.dispose()));
  }
}
