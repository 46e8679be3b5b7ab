/**
 * The typed API over HTTP, for the studio in a browser (`dgs serve`): requests are POSTs of wire JSON
 * to /api/<channel> (typed arrays included), events arrive as server-sent events. The access token
 * travels as an HttpOnly cookie the server set when the printed URL was opened.
 */
import { API_CHANNEL_NAMES } from '../../../shared/api-channels';
import type { ApiEvent, ApiResult, DgsApi } from '../../../shared/api';
import { fromWire, toWire } from '../../../shared/wire';
import { toDisposable } from '../../../shared/lifecycle';

async function post(channel: string, request: unknown): Promise<ApiResult<unknown>> {
  let res: Response;
  try {
    res = await fetch(`/api/${channel}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-DGS-Request': '1' },
      body: toWire(request ?? {}),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, message: 'The studio server does not answer; check that `dgs serve` is still running.' };
  }
  if (res.status === 401)
    return { ok: false, message: 'This page lost its access token; open the URL that `dgs serve` printed again.' };
  const text = await res.text();
  // A refusal with its sentence comes as the API's own JSON (404 for something the project does not hold).
  if (!res.ok && !(res.headers.get('Content-Type') ?? '').startsWith('application/json'))
    return { ok: false, message: text || `The studio server answered ${res.status}.` };
  return fromWire(text) as ApiResult<unknown>;
}

export function createWebApi(): DgsApi {
  const listeners = new Set<(e: ApiEvent) => void>();
  let source: EventSource | null = null;
  const connect = () => {
    source = new EventSource('/api/events');
    source.onmessage = (m) => {
      const e = fromWire(m.data as string) as ApiEvent;
      for (const l of listeners) l(e);
    };
  };
  return {
    ...Object.fromEntries(API_CHANNEL_NAMES.map((c) => [c, (request: unknown) => post(c, request)])),
    onEvent(listener: (e: ApiEvent) => void) {
      listeners.add(listener);
      if (!source) connect();
      return toDisposable(() => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          source?.close();
          source = null;
        }
      });
    },
  } as unknown as DgsApi;
}
