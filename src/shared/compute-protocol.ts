/**
 * The messages between a compute process and its owner (Electron main over a MessagePort, `dgs serve`
 * over a child process's IPC channel). Payloads are structured-cloned: typed arrays cross as typed
 * arrays, never JSON. One call = one id; progress and the answer carry it; cancel names it.
 */
import type { CoreMethod } from './compute-api';

export type ToCompute =
  | { type: 'call'; id: number; method: CoreMethod; request: unknown; progress: boolean }
  | { type: 'cancel'; id: number };

export type FromCompute =
  | { type: 'ready'; pid: number }
  | { type: 'progress'; id: number; value: unknown }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string; user: boolean; aborted: boolean };

/** One end of a message channel, whatever carries it. */
export interface MessageEndpoint<In, Out> {
  post(message: Out): void;
  /** Start delivering messages to `listener`; returns the function that stops it. */
  listen(listener: (message: In) => void): () => void;
}

export const CORE_METHODS: readonly CoreMethod[] = [
  'hasModel',
  'loadModel',
  'hasInterpreter',
  'loadInterpreter',
  'sample',
  'render',
  'train',
  'label',
  'generate',
];
