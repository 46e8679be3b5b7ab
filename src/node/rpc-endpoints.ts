/**
 * The RPC's endpoints (src/shared/rpc.ts) over what Node offers: a worker thread seen from its parent
 * and from inside, a child process seen from its parent and from inside (IPC with the 'advanced'
 * serialization, so typed arrays are cloned, not turned into JSON), and a MessagePort-like object
 * (Electron's utility-process port, described structurally: nothing here imports electron). Only worker
 * threads can move buffers; the others copy what `transfer` marks.
 */
import type { ChildProcess } from 'node:child_process';
import type { MessagePort, Worker } from 'node:worker_threads';
import { toDisposable } from '../shared/lifecycle';
import type { RpcEndpoint } from '../shared/rpc';

/** Either end of a worker thread: the parent's `Worker`, or the thread's own `parentPort`. */
export function threadEndpoint<In, Out>(end: Worker | MessagePort): RpcEndpoint<In, Out> {
  return {
    post: (m, transfer) => end.postMessage(m, transfer as ArrayBuffer[] | undefined),
    listen(listener) {
      const on = (m: In) => listener(m);
      end.on('message', on);
      return toDisposable(() => void end.off('message', on));
    },
  };
}

/** The parent's end of a child process's IPC channel (messages to a disconnected child are dropped). */
export function childProcessEndpoint<In, Out>(child: ChildProcess): RpcEndpoint<In, Out> {
  return {
    post(m) {
      if (child.connected) child.send(m as object);
    },
    listen(listener) {
      const on = (m: unknown) => listener(m as In);
      child.on('message', on);
      return toDisposable(() => void child.off('message', on));
    },
  };
}

/** This process's end of the IPC channel to its parent. */
export function parentProcessEndpoint<In, Out>(): RpcEndpoint<In, Out> {
  return {
    post(m) {
      if (process.connected) process.send!(m);
    },
    listen(listener) {
      const on = (m: unknown) => listener(m as In);
      process.on('message', on);
      return toDisposable(() => void process.off('message', on));
    },
  };
}

/** Electron's MessagePortMain and a utility process's parentPort, as far as an endpoint needs them. */
export interface MessagePortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  off(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
  start?(): void;
}

export function messagePortEndpoint<In, Out>(port: MessagePortLike): RpcEndpoint<In, Out> {
  return {
    post: (m) => port.postMessage(m),
    listen(listener) {
      const on = (e: { data: unknown }) => listener(e.data as In);
      port.on('message', on);
      port.start?.();
      return toDisposable(() => port.off('message', on));
    },
  };
}
