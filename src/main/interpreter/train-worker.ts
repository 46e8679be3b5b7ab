/**
 * A training worker (ensemble-workers.ts): trains its group of members on the shared feature store
 * and posts progress and the result. 'abort' from the parent cancels between chunks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../shared/errors';
import type { WorkerJob, WorkerMessage } from './ensemble-workers';
import { PixelFeatureStore } from './pixel-features';
import { trainEnsemble } from './train-ensemble';

const job = workerData as WorkerJob;
const port = parentPort;
if (!port) throw new Error('train-worker runs as a worker thread');
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const abort = new AbortController();
port.on('message', (m) => { if (m === 'abort') abort.abort(); });

const store = PixelFeatureStore.attach(job.layout);
post({ type: 'ready' });
try {
  const r = await trainEnsemble({
    store, labels: job.labels, memberImages: job.memberImages, firstMember: job.firstMember, init: job.init,
    numClasses: job.numClasses, hidden: job.hidden, settings: job.settings, signal: abort.signal,
    onProgress: (e) => post({ type: 'progress', e }),
  });
  const { shape: _shape, ...result } = r;
  post({ type: 'done', result }, Object.values(r.params).map((a) => a.buffer as ArrayBuffer));
} catch (e) {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e), user: e instanceof UserError, aborted: abort.signal.aborted });
} finally {
  store.dispose();
  port.close();
}
