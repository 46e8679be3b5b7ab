/** Navigation and new windows are denied: the app shows only its own pages (security checklist 13–14). */
import type { WebContents } from 'electron';
import { APP_ORIGIN } from './app-protocol';

export function isAppUrl(url: string): boolean {
  const dev = process.env.ELECTRON_RENDERER_URL;
  return url.startsWith(APP_ORIGIN + '/') || (dev !== undefined && url.startsWith(dev));
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
