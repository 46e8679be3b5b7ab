/**
 * `dgs serve`'s boundaries, over real HTTP with the real handlers and the browser studio's own services
 * on a real project: the Host header names this server exactly (loopback or --allow-host, with the
 * port), an Origin must be the page's own, paths typed in the studio stay inside the project's folder
 * (no labeler copy planted elsewhere, no merge that tells which files exist), and an unknown sample is
 * a 404 with a sentence.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalCompute } from '../../../compute';
import type { Compute } from '../../../shared/compute-api';
import { fromWire, toWire } from '../../../shared/wire';
import { makeTinyProject } from '../../jobs/test/tiny-project';
import { createHandlers } from '../handlers';
import { startStudioServer, type StudioServer } from '../http-server';
import { servedServices } from '../served-services';
import { StudioHost } from '../studio-host';
import { httpRequest } from './http-request';

const TOKEN = 'hardening-token-0123456789';
let tmp: string;
let projectDir: string;
let outside: string;
let file: string;
let compute: Compute;
let host: StudioHost;
let server: StudioServer;
let named: StudioServer;

/** A request to `target` on loopback (its printed name may be one only --allow-host knows). */
function request(target: StudioServer, pathname: string, opts: Parameters<typeof httpRequest>[2] = {}) {
  return httpRequest(new URL(target.url).port, pathname, opts);
}

const port = (s: StudioServer) => Number(new URL(s.url).port);
const auth = (extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${TOKEN}`,
  'X-DGS-Request': '1',
  'Content-Type': 'application/json',
  Host: `127.0.0.1:${port(server)}`,
  ...extra,
});

async function api(channel: string, payload: unknown, headers: Record<string, string> = {}) {
  const r = await request(server, `/api/${channel}`, { method: 'POST', headers: auth(headers), body: toWire(payload) });
  return { status: r.status, ...(fromWire(r.body) as { ok: boolean; value?: unknown; message?: string }) };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-serve-hardening-'));
  projectDir = path.join(tmp, 'project');
  outside = path.join(tmp, 'victim');
  fs.mkdirSync(projectDir);
  fs.mkdirSync(outside);
  file = path.join(projectDir, 'p.dgs');
  compute = openLocalCompute();
  await makeTinyProject(file, compute, [0, 1]);
  host = new StudioHost(servedServices(file), compute);
  await host.openProject(file);
  const common = { port: 0, token: TOKEN, rendererDir: tmp, handlers: createHandlers(host) };
  server = await startStudioServer({ ...common, host: '127.0.0.1', onEvent: (l) => host.onEvent(l) });
  named = await startStudioServer({
    ...common,
    host: '127.0.0.1',
    allowHosts: ['gpu-box.lan'],
    onEvent: (l) => host.onEvent(l),
  });
});
afterAll(async () => {
  await server?.dispose();
  await named?.dispose();
  await host?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('dgs serve answers only its own address', () => {
  it('accepts exactly 127.0.0.1, localhost and [::1] with its port as the Host', async () => {
    const p = port(server);
    const status = async (hostHeader: string) =>
      (await request(server, '/api/app:info', { method: 'POST', headers: auth({ Host: hostHeader }), body: '{}' }))
        .status;
    for (const ok of [`127.0.0.1:${p}`, `localhost:${p}`, `[::1]:${p}`, `LOCALHOST:${p}`])
      expect(await status(ok), ok).toBe(200);
    for (const bad of [
      `127.0.0.1.evil.example:${p}`,
      `127.0.0.1@evil.example:${p}`,
      `127.0.0.2:${p}`,
      `localhost.evil.example:${p}`,
      `evil.example:${p}`,
      `localhost:${p + 1}`,
      'localhost',
      `[::1]:${p}:${p}`,
    ])
      expect(await status(bad), bad).toBe(421);
  });

  it('answers the names given with --allow-host, and prints its URL with the first', async () => {
    const p = port(named);
    expect(named.urlWithToken).toBe(`http://gpu-box.lan:${p}/?token=${TOKEN}`);
    const status = async (hostHeader: string) =>
      (
        await request(named, '/api/app:info', {
          method: 'POST',
          headers: auth({ Host: hostHeader, Origin: `http://${hostHeader}` }),
          body: '{}',
        })
      ).status;
    expect(await status(`gpu-box.lan:${p}`)).toBe(200);
    expect(await status(`127.0.0.1:${p}`)).toBe(200);
    expect(await status(`gpu-box.lan.evil.example:${p}`)).toBe(421);
    expect(await status(`other-box.lan:${p}`)).toBe(421);
  });

  it("refuses a request whose Origin is not the studio's own page", async () => {
    const own = `http://127.0.0.1:${port(server)}`;
    expect((await api('app:info', {}, { Origin: own })).ok).toBe(true);
    for (const origin of [
      'http://evil.example',
      'null',
      `http://localhost:${port(server)}`,
      `https://127.0.0.1:${port(server)}`,
    ]) {
      const r = await request(server, '/api/app:info', {
        method: 'POST',
        headers: auth({ Origin: origin }),
        body: '{}',
      });
      expect(r.status, origin).toBe(403);
      expect(r.body).toBe('This studio answers only its own page, not pages of other sites.');
    }
  });
});

describe('the API writes only where `dgs serve --help` says', () => {
  it('saves a labeler copy inside the project folder, and nowhere else', async () => {
    const planted = path.join(outside, 'planted2.dgs');
    const traversal = path.relative(projectDir, planted);
    expect(traversal.startsWith('..')).toBe(true);
    for (const typed of [planted, traversal, `../../../../../../..${planted}`]) {
      const r = await api('project:labeler-copy', { file: typed, labeler: 'ada' });
      expect(fs.readdirSync(outside), typed).toEqual([]);
      expect(r).toMatchObject({
        ok: false,
        message: `This studio saves copies only inside ${projectDir}; choose a place there, or start \`dgs serve\` with --allow-dir for another folder.`,
      });
    }
    // A link inside the project's folder does not lead out of it either.
    fs.symlinkSync(outside, path.join(projectDir, 'link'));
    expect(await api('project:labeler-copy', { file: 'link/planted3.dgs', labeler: 'ada' })).toMatchObject({
      ok: false,
    });
    expect(fs.readdirSync(outside)).toEqual([]);
    // A relative name is taken from the project's folder.
    const saved = await api('project:labeler-copy', { file: 'copy-for-ada.dgs', labeler: 'ada' });
    expect(saved).toMatchObject({ ok: true, value: { file: path.join(projectDir, 'copy-for-ada.dgs') } });
    // A name that merely starts with two dots is inside too.
    const dotted = await api('project:labeler-copy', { file: '..copy-for-bo.dgs', labeler: 'bo' });
    expect(dotted).toMatchObject({ ok: true, value: { file: path.join(projectDir, '..copy-for-bo.dgs') } });
  });

  it('generates datasets only inside the project folder', async () => {
    const r = await api('generate:start', {
      outDir: path.join(outside, 'dataset'),
      count: 2,
      filter: 0,
      formats: [],
      resume: false,
    });
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/^This studio writes datasets only inside /) });
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('does not reveal whether a path outside exists when asked to merge it', async () => {
    fs.writeFileSync(path.join(outside, 'exists.dgs'), 'not a project');
    const answers = await Promise.all(
      [path.join(outside, 'exists.dgs'), path.join(outside, 'missing.dgs'), '/etc/passwd', '/no/such/dir/x.dgs'].map(
        (theirs) => api('project:merge', { theirs }),
      ),
    );
    for (const a of answers)
      expect(a).toEqual({
        status: 200,
        ok: false,
        message: `This studio merges only copies that are inside ${projectDir}; choose a place there, or start \`dgs serve\` with --allow-dir for another folder.`,
      });
  });
});

describe('requests for what the project does not hold', () => {
  it('answers an unknown sample id with 404 and a sentence', async () => {
    const id = randomUUID();
    const r = await api('sample:image', { sampleId: id });
    expect(r).toEqual({
      status: 404,
      ok: false,
      message: `There is no sample with id ${id} in ${file}; it may have been deleted, so reload the gallery.`,
      code: 'not-found',
    });
  });
});
