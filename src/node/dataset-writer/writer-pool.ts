/**
 * Sample files written by a worker thread, so encoding (PNG, JPEG, contours) overlaps the next batch's
 * generation and labeling on the compute thread. Without a worker script (a bundle that ships none)
 * the files are written in the caller's thread, with the same bytes.
 */
import { Worker } from 'node:worker_threads';
import type { LabeledSample } from '../../shared/dataset-types';
import { workerScriptUrl } from '../worker-script';
import { writeSampleFiles, type SampleWriteContext } from './sample-files';

let builtWorker: string | null = null;

/** Where a built bundle (the app's compute process) keeps the writer worker script. */
export function setWriteWorkerScript(file: string): void {
  builtWorker = file;
}

export interface SampleWriters {
  /** Resolves when every file of the sample is in place. */
  write(name: string, sample: LabeledSample): Promise<void>;
  close(): Promise<void>;
}

export function openSampleWriters(ctx: SampleWriteContext): SampleWriters {
  const url = workerScriptUrl(builtWorker, new URL('./write-worker-boot.mjs', import.meta.url), import.meta.url);
  if (!url) return { write: (name, sample) => writeSampleFiles(ctx, name, sample), close: async () => undefined };
  const worker = new Worker(url, { workerData: ctx });
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  let next = 0;
  const failAll = (e: Error) => {
    failure ??= e;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  worker.on('message', (m: { id: number; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error === undefined) w?.resolve();
    else w?.reject(new Error(m.error));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`The sample writer thread stopped (exit code ${code}).`)));
  return {
    write(name, sample) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({
          id,
          name,
          sample: { seed: sample.seed, z: sample.z, rgb: sample.rgb, labels: sample.labels, score: sample.score },
        });
      });
    },
    async close() {
      failure ??= new Error('The sample writers are closed.');
      await worker.terminate();
    },
  };
}
