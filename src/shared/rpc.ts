/**
 * One typed RPC between processes and threads (after VS Code's `ProxyChannel.fromService/toService`):
 * a service is an interface whose methods take one request object and an optional `CallControl`
 * (progress and cancel) and return a promise. `serveRpc` serves an implementation over any message
 * endpoint (an Electron utility process's port, a worker thread, a child process's IPC channel);
 * `rpcClient` turns the same interface into a client on the other end. Both read the service's method
 * table, written once next to the interface with `satisfies MethodTable<S>`, so a method that is missing
 * from the table, misspelt in it, or not implemented is a type error.
 *
 * On the wire: one call = one id; progress and the answer carry it; an aborted signal sends `cancel`.
 * Errors cross as sentences: a `UserError` stays a `UserError` with its sentence, a cancelled call
 * rejects as an abort, anything else as an Error with the first line of its message. Payloads are
 * structured-cloned; `transfer(value, buffers)` marks buffers to move instead where the endpoint can.
 */
import { isUserError, UserError } from './errors';
import type { Disposable } from './lifecycle';

/** Progress and cancellation of one call. */
export interface CallControl<P> {
  onProgress?: (progress: P) => void;
  signal?: AbortSignal;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest method a service may have
type AnyMethod = (request: any, ctl?: CallControl<any>) => Promise<unknown>;

/** The callable part of a service: its methods that fit the RPC shape. */
export type RpcMethods<S> = { [K in keyof S]: S[K] extends AnyMethod ? K : never }[keyof S] & string;

type RequestOf<M> = M extends (request: infer R, ...rest: never[]) => unknown ? R : never;
type ProgressOf<M> = M extends (request: never, ctl?: CallControl<infer P>) => unknown ? P : never;
type ResultOf<M> = M extends (...args: never[]) => Promise<infer R> ? R : never;

/** What each method does, in words that finish "while …" (for the sentence when the other side dies). */
export interface MethodInfo {
  doing: string;
}

/** The method table of a service: every RPC method, and nothing else, once. */
export type MethodTable<S> = { readonly [K in RpcMethods<S>]: MethodInfo };

/** Caller → service. */
export type RpcRequest<S> =
  | {
      [K in RpcMethods<S>]: { rpc: 'call'; id: number; method: K; request: RequestOf<S[K]>; progress: boolean };
    }[RpcMethods<S>]
  | { rpc: 'cancel'; id: number }
  /** The caller is done: finish the calls in hand, dispose the service and let its thread or process end. */
  | { rpc: 'close' };

/** Service → caller. */
export type RpcResponse<S> =
  | { [K in RpcMethods<S>]: { rpc: 'progress'; id: number; value: ProgressOf<S[K]> } }[RpcMethods<S>]
  | { [K in RpcMethods<S>]: { rpc: 'result'; id: number; value: ResultOf<S[K]> } }[RpcMethods<S>]
  | { rpc: 'error'; id: number; message: string; user: boolean; aborted: boolean };

/** One end of a message channel, whatever carries it. */
export interface RpcEndpoint<In, Out> {
  /** `transfer` lists buffers to move rather than copy, where the channel can (worker threads). */
  post(message: Out, transfer?: readonly ArrayBuffer[]): void;
  listen(listener: (message: In) => void): Disposable;
}

const transfers = new WeakMap<object, readonly ArrayBuffer[]>();

/** Marks `value`'s buffers to be moved, not copied, when it is sent (the sender must not use them after). */
export function transfer<T extends object>(value: T, buffers: readonly ArrayBuffer[]): T {
  transfers.set(value, buffers);
  return value;
}

function transferOf(value: unknown): readonly ArrayBuffer[] | undefined {
  return value !== null && typeof value === 'object' ? transfers.get(value) : undefined;
}

/** The error a call the caller cancelled rejects with: the caller's own abort reason when it is an Error. */
export function abortError(signal: AbortSignal | undefined, message = 'The job was cancelled.'): Error {
  const r = signal?.reason;
  return r instanceof Error ? r : new DOMException(message, 'AbortError');
}

function firstLine(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

export interface ServeOptions {
  /** After a `close` request has been handled (a worker closes its port here, so its thread can end). */
  onClose?: () => void;
}

/**
 * Serves `service` over `endpoint`: each call runs with its own AbortController (cancel aborts it),
 * progress goes back as it comes, and the answer or a sentence closes the call. Disposing stops serving
 * and aborts the calls still running.
 */
export function serveRpc<S extends object>(
  endpoint: RpcEndpoint<RpcRequest<S>, RpcResponse<S>>,
  service: S,
  table: MethodTable<S>,
  options: ServeOptions = {},
): Disposable {
  const running = new Map<number, { abort: AbortController; done: Promise<void> }>();
  const post = endpoint.post.bind(endpoint) as (m: unknown, transfer?: readonly ArrayBuffer[]) => void;
  const listener = endpoint.listen((message) => {
    if (message.rpc === 'cancel') {
      running.get(message.id)?.abort.abort();
      return;
    }
    if (message.rpc === 'close') {
      void close();
      return;
    }
    const { id, method, request, progress } = message;
    if (!Object.hasOwn(table, method)) {
      post({ rpc: 'error', id, message: `There is no method "${String(method)}" here.`, user: false, aborted: false });
      return;
    }
    const abort = new AbortController();
    const fn = (service as Record<string, AnyMethod>)[method].bind(service);
    const onProgress = progress
      ? (value: unknown) => post({ rpc: 'progress', id, value }, transferOf(value))
      : undefined;
    const done = Promise.resolve()
      .then(() => fn(request, { signal: abort.signal, onProgress }))
      .then(
        (value) => post({ rpc: 'result', id, value }, transferOf(value)),
        (e: unknown) =>
          post({
            rpc: 'error',
            id,
            message: isUserError(e) ? e.message : firstLine(e),
            user: isUserError(e),
            aborted: abort.signal.aborted,
          }),
      )
      .finally(() => running.delete(id));
    running.set(id, { abort, done });
  });
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      listener.dispose();
      await Promise.all([...running.values()].map((r) => r.done));
      await (service as Partial<Disposable>).dispose?.();
      options.onClose?.();
    })());
  return {
    dispose() {
      for (const r of running.values()) r.abort.abort();
      listener.dispose();
    },
  };
}

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (v: unknown) => void;
  signal?: AbortSignal;
  unlink: () => void;
}

/** What a client offers besides the service's own methods. */
export interface RpcClientControl<S> extends Disposable {
  /** Calls still waiting for their answer, by method (what was running when the other side died). */
  readonly running: RpcMethods<S>[];
  /** The other side is gone: every open call and every later one fails with `error`. */
  failAll(error: Error): void;
  /** Asks the service to finish the calls in hand and close (a worker thread then ends by itself). */
  close(): void;
}

export type RpcClient<S> = Pick<S, RpcMethods<S>> & RpcClientControl<S>;

/** A client of the service served at the other end of `endpoint`, with one method per table entry. */
export function rpcClient<S extends object>(
  endpoint: RpcEndpoint<RpcResponse<S>, RpcRequest<S>>,
  table: MethodTable<S>,
): RpcClient<S> {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let failed: Error | null = null;
  const post = endpoint.post.bind(endpoint) as (m: unknown, transfer?: readonly ArrayBuffer[]) => void;

  const listener = endpoint.listen((m) => {
    const p = pending.get(m.id);
    if (!p) return;
    if (m.rpc === 'progress') {
      p.onProgress?.(m.value);
      return;
    }
    pending.delete(m.id);
    p.unlink();
    if (m.rpc === 'result') p.resolve(m.value);
    else if (m.aborted) p.reject(abortError(p.signal, m.message));
    else p.reject(m.user ? new UserError(m.message) : new Error(m.message));
  });

  function call(method: string, request: unknown, ctl: CallControl<unknown> = {}): Promise<unknown> {
    if (failed) return Promise.reject(failed);
    if (ctl.signal?.aborted) return Promise.reject(abortError(ctl.signal));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => post({ rpc: 'cancel', id });
      ctl.signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(id, {
        method,
        resolve,
        reject,
        onProgress: ctl.onProgress,
        signal: ctl.signal,
        unlink: () => ctl.signal?.removeEventListener('abort', onAbort),
      });
      post({ rpc: 'call', id, method, request, progress: ctl.onProgress !== undefined }, transferOf(request));
    });
  }

  function failAll(error: Error): void {
    failed ??= error;
    listener.dispose();
    for (const p of pending.values()) {
      p.unlink();
      p.reject(error);
    }
    pending.clear();
  }

  const control: RpcClientControl<S> = {
    get running() {
      return [...pending.values()].map((p) => p.method as RpcMethods<S>);
    },
    failAll,
    close: () => post({ rpc: 'close' }),
    dispose: () => failAll(new Error('The connection was closed.')),
  };
  const methods = Object.fromEntries(
    Object.keys(table).map((method) => [
      method,
      (request: unknown, ctl?: CallControl<unknown>) => call(method, request, ctl),
    ]),
  );
  return Object.assign(Object.create(control) as RpcClientControl<S>, methods) as RpcClient<S>;
}

/**
 * The service's methods, each calling the same method on whatever `target()` returns at call time
 * (a supervisor that restarts its process forwards to the current one).
 */
export function forwardTo<S extends object>(
  table: MethodTable<S>,
  target: () => Pick<S, RpcMethods<S>>,
): Pick<S, RpcMethods<S>> {
  return Object.fromEntries(
    Object.keys(table).map((method) => [
      method,
      (request: unknown, ctl?: CallControl<unknown>) =>
        (target() as unknown as Record<string, AnyMethod>)[method](request, ctl),
    ]),
  ) as Pick<S, RpcMethods<S>>;
}
