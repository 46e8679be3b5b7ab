/**
 * A service in a worker thread, reached through the typed RPC (src/shared/rpc.ts): `startWorker` on
 * the parent's side, `serveInWorker` inside the thread. A worker is never `terminate()`d: terminating a
 * thread inside onnxruntime aborts the whole process, so disposing asks the service to finish the calls
 * in hand and close, and waits until the thread has exited. A thread that dies unasked fails its open
 * calls, and every later one, with a sentence.
 */
import { parentPort, Worker } from 'node:worker_threads';
import type { Disposable } from '../shared/lifecycle';
import {
  rpcClient,
  serveRpc,
  type MethodTable,
  type RpcClient,
  type RpcRequest,
  type RpcResponse,
} from '../shared/rpc';
import { threadEndpoint } from './rpc-endpoints';

export class WorkerConnection<S extends object> implements Disposable {
  /** The service in the thread. */
  readonly service: RpcClient<S>;
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private gone = false;

  /** Starts `script` as a worker thread; `what` names it in sentences ("The labeling thread"). */
  constructor(script: URL, table: MethodTable<S>, what: string) {
    this.worker = new Worker(script);
    this.service = rpcClient<S>(threadEndpoint<RpcResponse<S>, RpcRequest<S>>(this.worker), table);
    this.worker.on('error', (e) => this.service.failAll(e));
    this.exited = new Promise<void>((resolve) =>
      this.worker.once('exit', (code) => {
        this.gone = true;
        this.service.failAll(new Error(`${what} stopped (exit code ${code}).`));
        resolve();
      }),
    );
  }

  /** Asks the service to close after the calls in hand and waits for the thread to end. */
  async dispose(): Promise<void> {
    if (!this.gone) this.service.close();
    await this.exited;
  }
}

/** Inside a worker thread: serves `service` to the parent until it asks to close, then lets the thread end. */
export function serveInWorker<S extends object>(service: S, table: MethodTable<S>): void {
  const port = parentPort;
  if (!port) throw new Error('This script runs as a worker thread.');
  serveRpc(threadEndpoint<RpcRequest<S>, RpcResponse<S>>(port), service, table, { onClose: () => port.close() });
}
