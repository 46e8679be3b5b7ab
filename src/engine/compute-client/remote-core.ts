/**
 * A ComputeCore that lives in another process, reached through a message endpoint: each call gets an
 * id, its progress is routed back to the caller, an AbortSignal becomes a cancel message, and the
 * answer or error settles the call. `failAll` settles every open call when the process is gone.
 */
import type { ComputeCore, CoreMethod } from '../../shared/compute-api';
import type { FromCompute, MessageEndpoint, ToCompute } from '../../shared/compute-protocol';
import { UserError } from '../../shared/errors';

interface Pending {
  method: CoreMethod;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (v: unknown) => void;
  unlink: () => void;
}

/** Error of a call the caller cancelled: the job's own AbortSignal reason when it has one. */
function abortError(signal: AbortSignal | undefined): Error {
  const r = signal?.reason;
  return r instanceof Error ? r : new DOMException('The job was cancelled.', 'AbortError');
}

export class RemoteComputeCore implements Omit<ComputeCore, 'dispose'> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly stopListening: () => void;
  private failed: Error | null = null;

  constructor(private readonly endpoint: MessageEndpoint<FromCompute, ToCompute>) {
    this.stopListening = endpoint.listen((m) => this.receive(m));
  }

  /** Calls still waiting for their answer, by method (what was running when a process died). */
  get running(): CoreMethod[] {
    return [...this.pending.values()].map((p) => p.method);
  }

  private receive(m: FromCompute): void {
    if (m.type === 'ready') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') {
      p.onProgress?.(m.value);
      return;
    }
    this.pending.delete(m.id);
    p.unlink();
    if (m.type === 'result') p.resolve(m.value);
    else if (m.aborted) p.reject(new DOMException(m.message, 'AbortError'));
    else p.reject(m.user ? new UserError(m.message) : new Error(m.message));
  }

  call<T>(
    method: CoreMethod,
    request: unknown,
    ctl: { onProgress?: (v: never) => void; signal?: AbortSignal } = {},
  ): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    if (ctl.signal?.aborted) return Promise.reject(abortError(ctl.signal));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => this.endpoint.post({ type: 'cancel', id });
      ctl.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: ctl.onProgress as ((v: unknown) => void) | undefined,
        unlink: () => ctl.signal?.removeEventListener('abort', onAbort),
      });
      this.endpoint.post({ type: 'call', id, method, request, progress: ctl.onProgress !== undefined });
    });
  }

  /** The process is gone: every open call and every later one fails with `error`. */
  failAll(error: Error): void {
    this.failed = error;
    this.stopListening();
    for (const p of this.pending.values()) {
      p.unlink();
      p.reject(error);
    }
    this.pending.clear();
  }

  hasModel: ComputeCore['hasModel'] = (req) => this.call('hasModel', req);
  loadModel: ComputeCore['loadModel'] = (req) => this.call('loadModel', req);
  hasInterpreter: ComputeCore['hasInterpreter'] = (req) => this.call('hasInterpreter', req);
  loadInterpreter: ComputeCore['loadInterpreter'] = (req) => this.call('loadInterpreter', req);
  sample: ComputeCore['sample'] = (req, ctl) => this.call('sample', req, ctl);
  render: ComputeCore['render'] = (req, ctl) => this.call('render', req, ctl);
  train: ComputeCore['train'] = (req, ctl) => this.call('train', req, ctl);
  label: ComputeCore['label'] = (req, ctl) => this.call('label', req, ctl);
  generate: ComputeCore['generate'] = (req, ctl) => this.call('generate', req, ctl);
}
