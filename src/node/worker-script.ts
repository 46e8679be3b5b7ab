/**
 * The worker threads' scripts, handed to whoever starts them (the compute core's constructor, from the
 * process's entry) rather than found through module state. A script that is null or missing means the
 * work runs in the caller's own thread, with the same results.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface WorkerScripts {
  /** Training members (src/compute/interpreter/train/worker.ts). */
  train: URL | null;
  /** Labeling during generation (src/compute/interpreter/label/worker.ts). */
  label: URL | null;
  /** Writing sample files during generation (src/node/dataset-writer/write-worker.ts). */
  write: URL | null;
}

/** No worker threads: everything in the caller's thread. */
export const NO_WORKERS: WorkerScripts = { train: null, label: null, write: null };

/** `url` when that file exists, else null. */
export function existingScript(url: URL): URL | null {
  return existsSync(fileURLToPath(url)) ? url : null;
}
