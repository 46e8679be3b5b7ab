/**
 * The renderer's only way to the engine: the typed API the preload provides in Electron (window.dgs),
 * or the same API over HTTP in a browser. `call` turns a refused request into an ApiError whose message
 * is the sentence to show.
 */
import type { ApiChannel, ApiEvent, ApiRequest, ApiResponse, DgsApi } from '../../../shared/api';
import { createWebApi } from './web-api';

declare global {
  interface Window {
    dgs?: DgsApi;
  }
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
}

let bridge: DgsApi | null = null;

export function api(): DgsApi {
  bridge ??= window.dgs ?? createWebApi();
  return bridge;
}

export async function call<C extends ApiChannel>(channel: C, request: ApiRequest<C>): Promise<ApiResponse<C>> {
  const fn = api()[channel] as (
    r: ApiRequest<C>,
  ) => Promise<{ ok: true; value: ApiResponse<C> } | { ok: false; message: string }>;
  const result = await fn(request);
  if (!result.ok) throw new ApiError(result.message);
  return result.value;
}

export function onApiEvent(listener: (e: ApiEvent) => void): () => void {
  return api().onEvent(listener);
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
