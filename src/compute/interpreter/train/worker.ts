/**
 * A training worker of a TrainingPool (training-pool.ts): builds its session from the pool's spec,
 * says 'ready', then trains one group of members per job on the shared feature store, posting progress
 * and the result. 'abort' cancels the running job between chunks; 'close' ends the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../../shared/errors';
import { PixelFeatureStore } from './pixel-features';
import { openSession } from '../../runtime/execution-provider';
import { buildTrainModel } from './graph';
import { trainEnsemble } from './ensemble';
import type { PoolCommand, PoolJob, PoolMessage, PoolSpec } from './pool';

const spec = workerData as PoolSpec;
const port = parentPort;
if (!port) throw new Error('train-worker runs as a worker thread');
const post = (m: PoolMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const errorMessage = (e: unknown, aborted: boolean): PoolMessage => ({
  type: 'error',
  message: e instanceof Error ? e.message : String(e),
  user: e instanceof UserError,
  aborted,
});

let session: Awaited<ReturnType<typeof openSession>>;
try {
  session = await openSession(buildTrainModel({ numClasses: spec.numClasses, lr: spec.lr, patience: spec.patience }), {
    provider: spec.executionProviders,
    threads: spec.threads,
  });
} catch (e) {
  post(errorMessage(e, false));
  port.close();
  throw e;
}

let current: AbortController | null = null;
let queue = Promise.resolve();

async function runJob(job: PoolJob): Promise<void> {
  const abort = new AbortController();
  current = abort;
  const store = PixelFeatureStore.attach(job.layout);
  try {
    if (job.settings.lr !== spec.lr || job.settings.patience !== spec.patience)
      throw new Error("a pool job must use the pool's lr and patience");
    const r = await trainEnsemble({
      store,
      labels: job.labels,
      memberImages: job.memberImages,
      firstMember: job.firstMember,
      init: job.init,
      numClasses: spec.numClasses,
      hidden: job.hidden,
      settings: job.settings,
      chunkMembers: job.chunkMembers,
      signal: abort.signal,
      session,
      onProgress: (e) => post({ type: 'progress', e }),
    });
    const { shape: _shape, ...result } = r;
    post(
      { type: 'done', result },
      Object.values(r.params).map((a) => a.buffer as ArrayBuffer),
    );
  } catch (e) {
    post(errorMessage(e, abort.signal.aborted));
  } finally {
    current = null;
    store.dispose();
  }
}

port.on('message', (m: PoolCommand) => {
  if (m === 'abort') {
    current?.abort();
    return;
  }
  if (m.type === 'job') {
    queue = queue.then(() => runJob(m.job));
    return;
  }
  // close: after the job in hand, if any.
  queue = queue.then(async () => {
    await session.session.release();
    port.close();
  });
});
post({ type: 'ready' });
