/**
 * The built preload (out/preload/index.cjs) as Electron's sandbox runs it: it may require only
 * 'electron', and it exposes exactly one function per API channel plus the event stream, each passing
 * straight to ipcRenderer (no raw ipcRenderer reaches the page).
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_CHANNEL_NAMES, API_EVENT_CHANNEL } from '../src/shared/api-channels';
import { buildApp } from './helpers/build';

describe('the built preload', () => {
  beforeAll(() => buildApp());

  it('loads with electron alone and exposes one function per channel', async () => {
    const required: string[] = [];
    const invoked: [string, unknown][] = [];
    const listening: string[] = [];
    const stopped: string[] = [];
    let exposed: Record<string, unknown> = {};
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: Record<string, unknown>) => {
          expect(key).toBe('dgs');
          exposed = api;
        },
      },
      ipcRenderer: {
        invoke: async (channel: string, req: unknown) => {
          invoked.push([channel, req]);
          return { ok: true, value: null };
        },
        on: (channel: string) => listening.push(channel),
        off: (channel: string) => stopped.push(channel),
      },
    };
    const code = fs.readFileSync(path.resolve('out/preload/index.cjs'), 'utf8');
    const module = { exports: {} };
    vm.runInNewContext(code, {
      module,
      exports: module.exports,
      require: (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
        return electron;
      },
    });
    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed).sort()).toEqual([...API_CHANNEL_NAMES, 'onEvent'].sort());
    await (exposed['samples:add'] as (r: unknown) => Promise<unknown>)({ count: 2 });
    expect(invoked).toEqual([['samples:add', { count: 2 }]]);
    const stop = (exposed.onEvent as (l: () => void) => { dispose(): void })(() => undefined);
    expect(listening).toEqual([API_EVENT_CHANNEL]);
    stop.dispose();
    expect(stopped).toEqual([API_EVENT_CHANNEL]);
  });
});
