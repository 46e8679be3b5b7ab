/**
 * Serves a ComputeCore over a message endpoint: each call runs with its own AbortController (cancel
 * aborts it), progress goes back as it comes, and the answer or a sentence closes the call. Errors the
 * user can act on keep their sentence; anything else is reported by its first line only.
 */
import { CORE_METHODS, type FromCompute, type MessageEndpoint, type ToCompute } from '../shared/compute-protocol';
import type { ComputeCore } from '../shared/compute-api';
import { isUserError } from '../shared/errors';

type AnyCall = (request: unknown, ctl: { signal: AbortSignal; onProgress?: (v: unknown) => void }) => Promise<unknown>;

export function serveCompute(endpoint: MessageEndpoint<ToCompute, FromCompute>, core: ComputeCore): () => void {
  const running = new Map<number, AbortController>();
  const stop = endpoint.listen((message) => {
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    const { id, method, request, progress } = message;
    if (!CORE_METHODS.includes(method)) {
      endpoint.post({
        type: 'error',
        id,
        message: `compute has no method "${String(method)}"`,
        user: false,
        aborted: false,
      });
      return;
    }
    const abort = new AbortController();
    running.set(id, abort);
    const call = (core[method] as AnyCall).bind(core);
    const onProgress = progress ? (value: unknown) => endpoint.post({ type: 'progress', id, value }) : undefined;
    void call(request, { signal: abort.signal, onProgress })
      .then((value) => endpoint.post({ type: 'result', id, value }))
      .catch((e: unknown) =>
        endpoint.post({
          type: 'error',
          id,
          message: isUserError(e) ? e.message : e instanceof Error ? e.message.split('\n')[0] : String(e),
          user: isUserError(e),
          aborted: abort.signal.aborted,
        }),
      )
      .finally(() => running.delete(id));
  });
  endpoint.post({ type: 'ready', pid: process.pid });
  return () => {
    for (const a of running.values()) a.abort();
    stop();
  };
}
