/**
 * The preload bridge: one function per API channel and the event stream, nothing else (no raw
 * ipcRenderer). Sandboxed preloads cannot require modules, so this file is bundled on its own by
 * electron-vite.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_CHANNEL_NAMES, API_EVENT_CHANNEL } from '../shared/api-channels';
import type { ApiEvent, DgsApi } from '../shared/api';

const api = {
  ...Object.fromEntries(
    API_CHANNEL_NAMES.map((channel) => [channel, (request: unknown) => ipcRenderer.invoke(channel, request)]),
  ),
  onEvent(listener: (e: ApiEvent) => void) {
    const on = (_event: IpcRendererEvent, e: ApiEvent) => listener(e);
    ipcRenderer.on(API_EVENT_CHANNEL, on);
    // A plain object with its function: what the context bridge can hand across.
    return {
      dispose() {
        ipcRenderer.off(API_EVENT_CHANNEL, on);
      },
    };
  },
} as unknown as DgsApi;

contextBridge.exposeInMainWorld('dgs', api);
