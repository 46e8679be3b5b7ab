/**
 * The desktop shell's security, run on the real code without an Electron binary: the URL policy and
 * app:// confinement, the window options main passes to BrowserWindow, and the IPC guard every request
 * passes (sender check, then the channel's schema) with the real handlers behind it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../engine/api/handlers';
import { StudioHost } from '../../engine/api/studio-host';
import { noCompute, stubServices } from '../../engine/api/test/stub-host';
import { guardedInvoke } from '../ipc-guard';
import { CSP, isAppUrl, resolveAppUrl } from '../url-policy';
import { studioWindowOptions } from '../window-options';

describe('app:// protocol', () => {
  const root = path.resolve('/srv/renderer');
  it('serves files under the renderer folder and nothing outside it', () => {
    expect(resolveAppUrl(root, 'app://studio/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppUrl(root, 'app://studio/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppUrl(root, 'app://studio/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
    expect(resolveAppUrl(root, 'app://studio/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppUrl(root, 'app://studio/a%00b')).toBeNull();
    // The URL parser already folds a dot-dot segment at the root, so this stays inside the folder.
    expect(resolveAppUrl(root, 'app://studio/%2e%2e/secret')).toBe(path.join(root, 'secret'));
  });

  it('sends a CSP that allows only our own scripts and styles and no plugins', () => {
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).toContain("style-src 'self';");
    expect(CSP).toContain("object-src 'none'");
    expect(CSP).not.toMatch(/unsafe-(eval|inline)/);
  });

  it('treats only app:// (and the dev server while developing) as the app', () => {
    expect(isAppUrl('app://studio/index.html', undefined)).toBe(true);
    expect(isAppUrl('https://example.com/', undefined)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', undefined)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5173/', '')).toBe(false);
  });
});

describe('the studio window', () => {
  it('is isolated, sandboxed, without Node, with web security and only our preload', () => {
    const { webPreferences: p } = studioWindowOptions('/app/preload/index.cjs');
    expect(p).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
    expect(p.preload).toBe('/app/preload/index.cjs');
  });
});

describe('packaging', () => {
  const config = load(fs.readFileSync(path.resolve('electron-builder.yml'), 'utf8')) as Record<string, unknown>;
  it('flips the fuses that close Node entry points, and keeps the ones Playwright and the CLI need', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });
  it('unpacks the native modules and builds for every desktop', () => {
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['node_modules/onnxruntime-node/**', 'node_modules/better-sqlite3/**']),
    );
    const targets = [config.linux, config.mac, config.win].map((t) => (t as { target: string[] }).target).flat();
    expect(targets).toEqual(expect.arrayContaining(['AppImage', 'deb', 'dmg', 'nsis']));
  });
});

describe('the IPC guard, with the real handlers', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-ipc-'));
  const opened: string[] = [];
  const services = stubServices({
    transport: 'electron',
    chooseProjectFile: async () => {
      opened.push('dialog');
      return null;
    },
  });
  const host = new StudioHost(services, noCompute);
  const handlers = createHandlers(host);
  const app = { url: 'app://studio/index.html', parent: null };
  afterAll(async () => {
    await host.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('answers our own top frame', async () => {
    const r = await guardedInvoke(handlers, 'app:info', app, {});
    expect(r).toMatchObject({ ok: true, value: { transport: 'electron' } });
  });

  it.each([
    ['a frame inside the page', { url: 'app://studio/index.html', parent: {} }],
    ['another origin', { url: 'https://example.com/', parent: null }],
    ['a file page', { url: 'file:///tmp/x.html', parent: null }],
    ['no frame at all', null],
  ])('refuses %s before any handler runs', async (_what, frame) => {
    const r = await guardedInvoke(handlers, 'project:open', frame, { file: null });
    expect(r).toEqual({ ok: false, message: 'This request did not come from the app window and was refused.' });
    expect(opened).toEqual([]);
  });

  it.each([
    ['samples:add', { count: -3 }, 'Samples to add must be a whole number from 1 to 10,000, not -3.'],
    ['samples:add', { count: 'many' }, 'Samples to add must be a whole number from 1 to 10,000, not “many”.'],
    [
      'annotation:save',
      { sampleId: 'x', labelMap: [1, 2, 3], shapes: null, baseRevision: 0, author: 'a' },
      'The field “label map” is not valid (expected bytes).',
    ],
    ['project:open', { file: 42 }, 'The field “file” must be text, not 42.'],
    [
      'generate:start',
      { outDir: '/tmp/x', count: 10, filter: 2, formats: [], resume: false },
      'The uncertainty filter must be at most 0.99, not 2.',
    ],
  ])('refuses a malformed %s request with a sentence naming the field', async (channel, payload, sentence) => {
    const r = await guardedInvoke(handlers, channel, app, payload);
    expect(r).toEqual({ ok: false, message: sentence });
  });

  it('refuses a channel that does not exist', async () => {
    const r = await guardedInvoke(handlers, 'fs:read', app, { path: '/etc/passwd' });
    expect(r).toEqual({ ok: false, message: 'There is no "fs:read" request in this version of the app.' });
  });

  it('turns a user mistake into its sentence, not a stack trace', async () => {
    const r = await guardedInvoke(handlers, 'project:open', app, { file: path.join(tmp, 'missing.dgs') });
    expect(r).toEqual({
      ok: false,
      message: `There is no project file at ${path.join(tmp, 'missing.dgs')}; create a new project instead.`,
    });
  });
});
