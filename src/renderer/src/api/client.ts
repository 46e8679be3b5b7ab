/**
 * The renderer's only way to the engine: the typed API the preload provides in Electron (window.dgs),
 * or the same API over HTTP in a browser. `call` turns a refused request into an ApiError whose message
 * is the sentence to show, and whose code (when there is one) says what kind of refusal it is.
 */
import type {
  ApiChannel,
  ApiErrorCode,
  ApiEvent,
  ApiRequest,
  ApiResponse,
  ApiResult,
  DgsApi,
} from '../../../shared/api';
import { createWebApi } from './web-api';
import type { Disposable } from '../../../shared/lifecycle';

declare global {
  interface Window {
    dgs?: DgsApi;
  }
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly code?: ApiErrorCode,
  ) {
    super(message);
  }
}

/** The browser could not reach `dgs serve` at all: the page reconnects and tries again by itself. */
export function isOffline(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'offline';
}

/** A change refused because someone else changed the thing first: retrying would overwrite their work. */
export function isConflict(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'conflict';
}

let bridge: DgsApi | null = null;

export function api(): DgsApi {
  bridge ??= window.dgs ?? createWebApi();
  return bridge;
}

export async function call<C extends ApiChannel>(channel: C, request: ApiRequest<C>): Promise<ApiResponse<C>> {
  const fn = api()[channel] as (r: ApiRequest<C>) => Promise<ApiResult<ApiResponse<C>>>;
  const result = await fn(request);
  if (!result.ok) throw new ApiError(result.message, result.code);
  return result.value;
}

export function onApiEvent(listener: (e: ApiEvent) => void): Disposable {
  return api().onEvent(listener);
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
