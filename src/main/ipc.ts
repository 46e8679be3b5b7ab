/**
 * Electron transport of the API: one ipcMain.handle per channel, each guarded (ipc-guard.ts), and the
 * host's events sent to every window. Disposing the result removes it all.
 */
import { BrowserWindow, ipcMain } from 'electron';
import { API_CHANNEL_NAMES, API_EVENT_CHANNEL } from '../shared/api-channels';
import type { ApiEvent } from '../shared/api';
import type { Handlers } from '../engine/api/handlers';
import { guardedInvoke } from './ipc-guard';
import { toDisposable, type Disposable } from '../shared/lifecycle';

export function registerApi(handlers: Handlers, onEvent: (listener: (e: ApiEvent) => void) => Disposable): Disposable {
  for (const channel of API_CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, payload: unknown) => guardedInvoke(handlers, channel, event.senderFrame, payload));
  }
  const stop = onEvent((e) => {
    for (const win of BrowserWindow.getAllWindows()) if (!win.isDestroyed()) win.webContents.send(API_EVENT_CHANNEL, e);
  });
  return toDisposable(() => {
    stop.dispose();
    for (const channel of API_CHANNEL_NAMES) ipcMain.removeHandler(channel);
  });
}
