/**
 * Which URLs the app's windows may show and what the app:// protocol serves. Kept free of electron
 * imports so it is unit-tested under plain Node.
 */
import path from 'node:path';

export const APP_ORIGIN = 'app://studio';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Map an app:// URL to a file under root, or null when it would leave root. */
export function resolveAppUrl(root: string, url: string): string | null {
  const { pathname } = new URL(url);
  const rel = decodeURIComponent(pathname).replace(/^\/+/, '') || 'index.html';
  const file = path.resolve(root, rel);
  return file.startsWith(root + path.sep) ? file : null;
}

/** Our own pages: app:// in production, the dev server's URL while developing. */
export function isAppUrl(url: string, devUrl = process.env.ELECTRON_RENDERER_URL): boolean {
  return url.startsWith(APP_ORIGIN + '/') || (devUrl !== undefined && devUrl !== '' && url.startsWith(devUrl));
}
