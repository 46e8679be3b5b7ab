/**
 * The desktop shell's security settings, checked without an Electron binary: the URL policy, the
 * bundle each process gets, and the window options written in main.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_CHANNELS } from '../../shared/api';
import { API_CHANNEL_NAMES } from '../../shared/api-channels';
import { CSP, isAppUrl, resolveAppUrl } from '../url-policy';

describe('app:// protocol', () => {
  const root = path.resolve('/srv/renderer');
  it('serves files under the renderer folder and nothing outside it', () => {
    expect(resolveAppUrl(root, 'app://studio/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppUrl(root, 'app://studio/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppUrl(root, 'app://studio/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
    expect(resolveAppUrl(root, 'app://studio/..%2f..%2fetc%2fpasswd')).toBeNull();
    // The URL parser already folds a dot-dot segment at the root, so this stays inside the folder.
    expect(resolveAppUrl(root, 'app://studio/%2e%2e/secret')).toBe(path.join(root, 'secret'));
  });

  it('sends a CSP that allows only our own scripts and no plugins', () => {
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).toContain("object-src 'none'");
    expect(CSP).not.toMatch(/unsafe-eval/);
  });

  it('treats only app:// (and the dev server while developing) as the app', () => {
    expect(isAppUrl('app://studio/index.html', undefined)).toBe(true);
    expect(isAppUrl('https://example.com/', undefined)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', undefined)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5173/', '')).toBe(false);
  });
});

describe('typed API', () => {
  it('has one preload function name per schema channel', () => {
    expect([...API_CHANNEL_NAMES].sort()).toEqual(Object.keys(API_CHANNELS).sort());
  });

  it('rejects malformed requests before a handler runs', () => {
    expect(API_CHANNELS['project:summary'].request.safeParse({ file: 42 }).success).toBe(false);
    expect(API_CHANNELS['project:summary'].request.safeParse({}).success).toBe(false);
    expect(API_CHANNELS['project:summary'].request.safeParse({ file: '/x.dgs' }).success).toBe(true);
  });
});

describe('window and preload', () => {
  const main = fs.readFileSync(path.resolve('src/main/index.ts'), 'utf8');
  it('creates windows isolated, sandboxed, without Node integration', () => {
    expect(main).toMatch(/contextIsolation: true/);
    expect(main).toMatch(/sandbox: true/);
    expect(main).toMatch(/nodeIntegration: false/);
    expect(main).not.toMatch(/webSecurity: false/);
  });

  it('keeps the preload free of modules a sandboxed preload cannot load', () => {
    const preload = fs.readFileSync(path.resolve('src/preload/index.ts'), 'utf8');
    const imports = [...preload.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    for (const spec of imports) expect(['electron', '../shared/api-channels', '../shared/api']).toContain(spec);
    // The only value import from shared is the schema-free channel list; api is imported for types.
    expect(preload).toMatch(/import type \{ DgsApi \} from '\.\.\/shared\/api'/);
  });
});
