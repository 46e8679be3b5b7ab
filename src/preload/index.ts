/**
 * The preload bridge: one function per API channel, nothing else (no raw ipcRenderer). Sandboxed
 * preloads cannot require modules, so this file is bundled on its own by electron-vite.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { API_CHANNEL_NAMES } from '../shared/api-channels';
import type { DgsApi } from '../shared/api';

const api = Object.fromEntries(
  API_CHANNEL_NAMES.map((channel) => [channel, (request: unknown) => ipcRenderer.invoke(channel, request)]),
) as DgsApi;

contextBridge.exposeInMainWorld('dgs', api);
