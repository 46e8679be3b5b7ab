/** Navigation and new windows are denied: the app shows only its own pages (security checklist 13–14). */
import type { WebContents } from 'electron';
import { isAppUrl } from './url-policy';

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
