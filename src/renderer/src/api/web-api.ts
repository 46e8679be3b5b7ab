/**
 * The typed API over HTTP, for the studio in a browser (`dgs serve`): requests are POSTs of wire JSON
 * to /api/<channel> (typed arrays included), events arrive as server-sent events. The access token
 * travels as an HttpOnly cookie the server set when the printed URL was opened.
 *
 * When the server stops answering (it was stopped, or restarted), requests fail with the code 'offline'
 * and listeners hear `connection: lost`; the page then asks the server every second whether it is back.
 * A restarted `dgs serve` keeps its token and port (src/cli/serve-session.ts), so the page's cookie is
 * still good: listeners hear `connection: restored`, and the event stream is opened anew.
 */
import { API_CHANNEL_NAMES } from '../../../shared/api-channels';
import type { ApiEvent, ApiResult, DgsApi } from '../../../shared/api';
import { fromWire, toWire } from '../../../shared/wire';
import { toDisposable } from '../../../shared/lifecycle';

const RETRY_MS = 1000;

export function createWebApi(): DgsApi {
  const listeners = new Set<(e: ApiEvent) => void>();
  let source: EventSource | null = null;
  let probing: ReturnType<typeof setTimeout> | null = null;
  const emit = (e: ApiEvent) => {
    for (const l of listeners) l(e);
  };

  const connect = () => {
    source?.close();
    source = new EventSource('/api/events');
    source.onmessage = (m) => emit(fromWire(m.data as string) as ApiEvent);
    // The browser retries a dropped stream by itself only while the server still answers 200; a stopped
    // server is probed until it is back, then the stream is opened again.
    source.onerror = () => lost();
  };

  const answers = async (): Promise<boolean> => {
    try {
      const res = await fetch('/api/app:info', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-DGS-Request': '1' },
        body: '{}',
        credentials: 'same-origin',
      });
      return res.ok;
    } catch {
      return false;
    }
  };

  function lost(): void {
    if (probing) return;
    source?.close();
    source = null;
    emit({ type: 'connection', state: 'lost' });
    const probe = async () => {
      if (await answers()) {
        probing = null;
        if (listeners.size > 0) connect();
        emit({ type: 'connection', state: 'restored' });
      } else probing = setTimeout(() => void probe(), RETRY_MS);
    };
    probing = setTimeout(() => void probe(), RETRY_MS);
  }

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
      lost();
      return {
        ok: false,
        code: 'offline',
        message: 'The studio server does not answer; this page reconnects when it is back, keeping your unsaved work.',
      };
    }
    if (res.status === 401)
      return {
        ok: false,
        message:
          'This page no longer has a valid access token (the server was restarted with --new-token); open the URL that `dgs serve` printed.',
      };
    const text = await res.text();
    // A refusal with its sentence comes as the API's own JSON (404 for something the project does not hold).
    if (!res.ok && !(res.headers.get('Content-Type') ?? '').startsWith('application/json'))
      return { ok: false, message: text || `The studio server answered ${res.status}.` };
    return fromWire(text) as ApiResult<unknown>;
  }

  return {
    ...Object.fromEntries(API_CHANNEL_NAMES.map((c) => [c, (request: unknown) => post(c, request)])),
    onEvent(listener: (e: ApiEvent) => void) {
      listeners.add(listener);
      if (!source && !probing) connect();
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
