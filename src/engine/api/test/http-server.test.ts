/**
 * `dgs serve`'s HTTP transport, run for real on loopback with the real handlers: the token (cookie or
 * bearer), 401 without it, the Host check, the static files' confinement, the request header, and the
 * one-project rule (no other path is opened or created).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalCompute } from '../../../compute';
import { fromWire, toWire } from '../../../shared/wire';
import { createHandlers } from '../handlers';
import { startStudioServer, type StudioServer } from '../http-server';
import { StudioHost } from '../studio-host';
import { httpRequest } from './http-request';
import { stubServices } from './stub-host';

const TOKEN = 'test-token-0123456789';
let tmp: string;
let renderer: string;
let served: string;
let server: StudioServer;
let host: StudioHost;

function request(pathname: string, opts: Parameters<typeof httpRequest>[2] = {}) {
  return httpRequest(new URL(server.url).port, pathname, opts);
}

const auth = { Authorization: `Bearer ${TOKEN}`, 'X-DGS-Request': '1', 'Content-Type': 'application/json' };
const api = async (channel: string, payload: unknown) => {
  const r = await request(`/api/${channel}`, { method: 'POST', headers: auth, body: toWire(payload) });
  return fromWire(r.body) as { ok: boolean; value?: unknown; message?: string };
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-serve-'));
  renderer = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>studio</title>');
  fs.writeFileSync(path.join(renderer, 'assets', 'a.js'), 'console.log(1)');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
  served = path.join(tmp, 'served.dgs');
  const only = path.resolve(served);
  const services = stubServices({
    chooseNewProjectFile: async () => only,
    mayUseProject: (f) => path.resolve(f) === only,
  });
  host = new StudioHost(services, openLocalCompute());
  server = await startStudioServer({
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    rendererDir: renderer,
    handlers: createHandlers(host),
    onEvent: (l) => host.onEvent(l),
  });
});
afterAll(async () => {
  await server.dispose();
  await host.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('dgs serve over HTTP', () => {
  it('prints a loopback URL that carries the token', () => {
    expect(server.urlWithToken).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/\\?token=${TOKEN}$`));
  });

  it('answers 401 without the token, for pages and API alike', async () => {
    expect((await request('/')).status).toBe(401);
    expect((await request('/?token=wrong')).status).toBe(401);
    expect((await request('/assets/a.js')).status).toBe(401);
    expect(
      (await request('/api/app:info', { method: 'POST', headers: { 'X-DGS-Request': '1' }, body: '{}' })).status,
    ).toBe(401);
    expect((await request('/api/events')).status).toBe(401);
  });

  it('trades the token in the URL for an HttpOnly, SameSite=Strict cookie, then serves the page with its CSP', async () => {
    const first = await request(`/?token=${TOKEN}`);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']![0];
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await request('/', { headers: { Cookie: cookie.split(';')[0] } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>studio</title>');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers only to loopback Host names (no DNS rebinding)', async () => {
    expect((await request('/', { headers: { ...auth, Host: 'attacker.example:80' } })).status).toBe(421);
    expect((await request('/', { headers: { ...auth, Host: `localhost:${new URL(server.url).port}` } })).status).toBe(
      200,
    );
  });

  it('serves nothing outside the renderer folder', async () => {
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%00',
    ]) {
      const r = await request(p, { headers: auth });
      expect([400, 404]).toContain(r.status);
      expect(r.body).not.toContain('secret');
    }
    expect((await request('/assets/a.js', { headers: auth })).status).toBe(200);
  });

  it("takes API requests only as POSTs with the studio's header", async () => {
    expect(
      (await request('/api/app:info', { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: '{}' }))
        .status,
    ).toBe(403);
    expect((await request('/api/app:info', { headers: auth })).status).toBe(405);
    expect(await api('app:info', {})).toMatchObject({ ok: true, value: { transport: 'web' } });
  });

  it('refuses malformed payloads and unknown channels with a sentence', async () => {
    expect(await api('samples:add', { count: -1 })).toMatchObject({
      ok: false,
      message: 'Samples to add must be a whole number from 1 to 10,000, not -1.',
    });
    expect(await api('fs:read', {})).toMatchObject({
      ok: false,
      message: 'There is no "fs:read" request in this version of the app.',
    });
    const bad = await request('/api/app:info', { method: 'POST', headers: auth, body: '{not json' });
    expect(bad.status).toBe(400);
  });

  it('opens and creates only the project it serves', async () => {
    const other = path.join(tmp, 'other.dgs');
    fs.writeFileSync(other, 'not a project');
    expect(await api('project:open', { file: other })).toMatchObject({
      ok: false,
      message: `This studio serves only the project it was started with; it cannot open ${other}.`,
    });
    const created = await api('project:create', {
      file: path.join(tmp, 'elsewhere.dgs'),
      name: 'x',
      model: { kind: 'demo' },
      classes: [
        { name: 'background', color: '#000000', hotkey: null },
        { name: 'a', color: '#ff0000', hotkey: '1' },
      ],
      psi: 0.7,
    });
    expect(created).toMatchObject({
      ok: false,
      message: expect.stringMatching(/can create only the project it was started with/),
    });
    expect(fs.existsSync(path.join(tmp, 'elsewhere.dgs'))).toBe(false);
  });
});

describe('dgs serve’s event streams', () => {
  it('end with the server: an event the host sends while it stops is written to no ended stream', async () => {
    const listeners = new Set<(e: unknown) => void>();
    const own = await startStudioServer({
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      rendererDir: renderer,
      handlers: createHandlers(host),
      onEvent: (l) => {
        listeners.add(l as (e: unknown) => void);
        return {
          dispose: () => {
            listeners.delete(l as (e: unknown) => void);
          },
        };
      },
    });
    const connected = new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: Number(new URL(own.url).port), path: '/api/events', headers: auth },
        (res) => res.once('data', () => resolve(res)),
      );
      req.on('error', reject);
    });
    const res = await connected;
    res.on('error', () => {});
    expect(listeners.size).toBe(1);
    const stopping = own.dispose();
    // The host closes its project while the server stops (before the stream's request has closed): its
    // last events must find no listener left, or they are written to an ended response.
    expect(listeners.size).toBe(0);
    await stopping;
  });
});
