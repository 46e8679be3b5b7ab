/**
 * A training worker of a TrainingPool (pool.ts): serves TrainWorkerService — `open` builds its session
 * from the pool's spec, `train` trains one group of members on the shared feature store, with progress,
 * and is cancelled between chunks. Closing releases the session and ends the thread.
 */
import type { Disposable } from '../../../shared/lifecycle';
import { transfer, type CallControl } from '../../../shared/rpc';
import { serveInWorker } from '../../../node/worker-rpc';
import type { SessionWithProvider } from '../../runtime/execution-provider';
import { PixelFeatureStore } from './pixel-features';
import { openHeldoutSession, openTrainSession, type TrainSession } from './train-sessions';
import { trainEnsemble } from './ensemble';
import { TRAIN_WORKER_METHODS, type PoolJob, type PoolProgress, type PoolSpec, type TrainWorkerService } from './pool';

class TrainWorker implements TrainWorkerService, Disposable {
  private spec: PoolSpec | null = null;
  private session: TrainSession | null = null;
  /** The 'heldout' rule's loss session, made when a job first needs it. */
  private heldout: Promise<SessionWithProvider> | null = null;
  /** One job at a time, in the order they came. */
  private queue: Promise<unknown> = Promise.resolve();

  async open(spec: PoolSpec): Promise<void> {
    this.session = await openTrainSession({ numClasses: spec.numClasses, lr: spec.lr, patience: spec.patience }, spec);
    this.spec = spec;
  }

  train(job: PoolJob, ctl: CallControl<PoolProgress> = {}) {
    const run = this.queue.then(() => this.run(job, ctl));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(job: PoolJob, ctl: CallControl<PoolProgress>) {
    const { spec, session } = this;
    if (!spec || !session) throw new Error('The training worker was not opened.');
    if (job.settings.lr !== spec.lr || job.settings.patience !== spec.patience)
      throw new Error("A pool job must use the pool's lr and patience.");
    const store = PixelFeatureStore.attach(job.layout);
    try {
      const { shape: _shape, ...result } = await trainEnsemble({
        store,
        labels: job.labels,
        memberImages: job.memberImages,
        firstMember: job.firstMember,
        init: job.init,
        numClasses: spec.numClasses,
        hidden: job.hidden,
        settings: job.settings,
        chunkMembers: job.chunkMembers,
        stackImages: job.stackImages,
        signal: ctl.signal,
        session,
        heldoutSession: () => (this.heldout ??= openHeldoutSession(spec.numClasses, spec)),
        onProgress: ctl.onProgress,
      });
      return transfer(
        result,
        Object.values(result.params).map((a) => a.buffer as ArrayBuffer),
      );
    } finally {
      await store.dispose();
    }
  }

  async dispose(): Promise<void> {
    await this.queue;
    await this.session?.dispose();
    await (await this.heldout?.catch(() => null))?.session.release();
  }
}

serveInWorker<TrainWorkerService>(new TrainWorker(), TRAIN_WORKER_METHODS);
