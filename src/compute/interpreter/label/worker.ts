/**
 * The labeling thread of openLabelerThread (thread.ts): serves LabelThreadService — `open` builds the
 * labeler of the interpreter it is given, `label` labels a batch of feature maps and moves the labels
 * back. Closing disposes the labeler and ends the thread.
 */
import type { Disposable } from '../../../shared/lifecycle';
import { transfer } from '../../../shared/rpc';
import { serveInWorker } from '../../../node/worker-rpc';
import { createLabeler, type Labeler } from './labeler';
import { LABEL_THREAD_METHODS, type LabelThreadService } from './thread';

class LabelThread implements LabelThreadService, Disposable {
  private labeler: Labeler | null = null;
  /** One batch at a time, in the order they came. */
  private queue: Promise<unknown> = Promise.resolve();

  async open(spec: Parameters<LabelThreadService['open']>[0]) {
    this.labeler = await createLabeler(
      spec.trained,
      spec.features,
      spec.labelResolution,
      spec.executionProviders,
      spec.threads,
    );
    return { provider: this.labeler.provider };
  }

  label({ batch }: { batch: Parameters<Labeler['label']>[0] }) {
    const labeler = this.labeler;
    if (!labeler) return Promise.reject(new Error('The labeling thread was not opened.'));
    const run = this.queue.then(async () => {
      const r = await labeler.label(batch);
      return transfer(r, [...r.labels.map((l) => l.buffer), ...r.uncertainty.map((u) => u.buffer)] as ArrayBuffer[]);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async dispose() {
    await this.labeler?.dispose();
  }
}

serveInWorker<LabelThreadService>(new LabelThread(), LABEL_THREAD_METHODS);
