/**
 * A labeler in its own worker thread, so generation overlaps the two: while the labeling thread labels
 * batch b, the compute thread (whose onnxruntime runs block it) generates batch b+1. The feature maps
 * are transferred to it and the labels back, not copied. Without a worker script (a bundle that ships
 * none) the labeler runs in the caller's thread, with the same results.
 */
import { Worker } from 'node:worker_threads';
import { UserError } from '../../../shared/errors';
import type { FeatureMaps, FeatureShape, LabelResult, TrainedInterpreter } from '../../../shared/interpreter-types';
import { workerScriptUrl } from '../../../node/worker-script';
import { createLabeler, type Labeler } from './labeler';

export interface LabelThreadSpec {
  trained: TrainedInterpreter;
  features: FeatureShape[];
  labelResolution: number;
  executionProviders: string[];
  threads: number;
}

export type LabelThreadMessage =
  | { type: 'ready'; provider: string }
  | { type: 'labeled'; id: number; result: LabelResult }
  | { type: 'error'; id: number; message: string; user: boolean };

let builtWorker: string | null = null;

/** Where a built bundle (the app's compute process) keeps the labeling worker script. */
export function setLabelWorkerScript(file: string): void {
  builtWorker = file;
}

/** Transfers the maps' buffers: each distinct ArrayBuffer once (a batch's maps share the generator's outputs). */
function buffersOf(batch: FeatureMaps[]): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const maps of batch) for (const m of maps) set.add(m.data.buffer as ArrayBuffer);
  return [...set];
}

/**
 * Opens a labeler in a worker thread (the caller's own when no worker script exists). The maps given
 * to `label` are moved to the thread: the caller must not read them afterwards.
 */
export async function openLabelerThread(spec: LabelThreadSpec): Promise<Labeler> {
  const url = workerScriptUrl(builtWorker, new URL('./worker-boot.mjs', import.meta.url), import.meta.url);
  if (!url)
    return createLabeler(spec.trained, spec.features, spec.labelResolution, spec.executionProviders, spec.threads);
  const worker = new Worker(url, { workerData: spec });
  const waiting = new Map<number, { resolve: (r: LabelResult) => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  let exited = false;
  let provider = 'cpu';
  let next = 0;
  const failAll = (e: Error) => {
    failure ??= e;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: LabelThreadMessage) => {
      if (m.type === 'ready') {
        provider = m.provider;
        resolve();
        return;
      }
      const err = m.type === 'error' ? (m.user ? new UserError(m.message) : new Error(m.message)) : null;
      if (m.id < 0 && err) {
        reject(err);
        failAll(err);
        return;
      }
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.type === 'labeled') w?.resolve(m.result);
      else if (err) w?.reject(err);
    });
    worker.on('error', (e) => {
      reject(e);
      failAll(e);
    });
    worker.on('exit', (code) => {
      exited = true;
      const e = new Error(`The labeling thread stopped (exit code ${code}).`);
      reject(e);
      failAll(e);
    });
  });
  try {
    await ready;
  } catch (e) {
    await worker.terminate();
    throw e;
  }
  return {
    get provider() {
      return provider;
    },
    stageMs: { project: 0, upsample: 0, resize: 0, tile: 0 },
    label(batch) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<LabelResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, batch }, buffersOf(batch));
      });
    },
    async dispose() {
      failure ??= new Error('The labeling thread is closed.');
      if (exited) return;
      const gone = new Promise<void>((done) => worker.once('exit', () => done()));
      worker.postMessage('close');
      await gone;
    },
  };
}
