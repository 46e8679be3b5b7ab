/** The renderer's only way to the engine: the typed API the preload (or the web bridge) provides. */
import type { DgsApi } from '../../shared/api';

declare global {
  interface Window {
    dgs: DgsApi;
  }
}

export function api(): DgsApi {
  return window.dgs;
}
