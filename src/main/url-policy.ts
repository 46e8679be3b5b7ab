/**
 * Which URLs the app's windows may show and what the app:// protocol serves. Kept free of electron
 * imports so it is unit-tested under plain Node.
 */
import { resolveUnder } from '../engine/api/static-files';

export { CSP } from '../shared/csp';

export const APP_ORIGIN = 'app://studio';

/** Map an app:// URL to a file under root, or null when it would leave root. */
export function resolveAppUrl(root: string, url: string): string | null {
  return resolveUnder(root, new URL(url).pathname);
}

/** Our own pages: app:// in production, the dev server's URL while developing. */
export function isAppUrl(url: string, devUrl = process.env.ELECTRON_RENDERER_URL): boolean {
  return url.startsWith(APP_ORIGIN + '/') || (devUrl !== undefined && devUrl !== '' && url.startsWith(devUrl));
}
