/**
 * The labeling thread of a LabelerThread (label-thread.ts): opens the labeler of the interpreter it is
 * given, says 'ready', then labels each batch of feature maps posted to it and posts the result back
 * (its buffers transferred, not copied). 'close' ends the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../../shared/errors';
import type { FeatureMaps } from '../../../shared/interpreter-types';
import { createLabeler } from './labeler';
import type { LabelThreadMessage, LabelThreadSpec } from './thread';

const spec = workerData as LabelThreadSpec;
const port = parentPort;
if (!port) throw new Error('label-worker runs as a worker thread');
const post = (m: LabelThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  const labeler = await createLabeler(
    spec.trained,
    spec.features,
    spec.labelResolution,
    spec.executionProviders,
    spec.threads,
  );
  post({ type: 'ready', provider: labeler.provider });
  let queue = Promise.resolve();
  port.on('message', (m: { id: number; batch: FeatureMaps[] } | 'close') => {
    if (m === 'close') {
      queue = queue.then(() => labeler.dispose()).finally(() => port.close());
      return;
    }
    queue = queue.then(async () => {
      try {
        const r = await labeler.label(m.batch);
        const transfer = [...r.labels.map((l) => l.buffer), ...r.uncertainty.map((u) => u.buffer)] as ArrayBuffer[];
        post({ type: 'labeled', id: m.id, result: r }, transfer);
      } catch (e) {
        post({
          type: 'error',
          id: m.id,
          message: e instanceof Error ? e.message : String(e),
          user: e instanceof UserError,
        });
      }
    });
  });
} catch (e) {
  post({ type: 'error', id: -1, message: e instanceof Error ? e.message : String(e), user: e instanceof UserError });
  port.close();
}
