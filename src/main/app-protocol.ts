/**
 * app:// serves the built renderer instead of file:// (Electron security checklist 18), with a strict
 * Content-Security-Policy header on every response, and nothing outside the renderer folder.
 */
import { net, protocol } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CSP, resolveAppUrl } from './url-policy';

export function registerAppProtocol(root: string): void {
  const base = path.resolve(root);
  protocol.handle('app', async (request) => {
    const file = resolveAppUrl(base, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}
