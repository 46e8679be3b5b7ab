import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rememberServeSession, serveSession } from '../serve-session';

describe('what dgs serve keeps between its starts', () => {
  let dir: string;
  const file = () => path.join(dir, 'serve-sessions.json');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-serve-session-'));
    vi.stubEnv('DGS_CONFIG_DIR', dir);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same token and port for the same project, privately, and another token to another project', () => {
    const first = serveSession('/p/faces.dgs', false);
    expect(first.port).toBeNull();
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    rememberServeSession('/p/faces.dgs', { token: first.token, port: 8765 });
    expect(fs.statSync(file()).mode & 0o777).toBe(0o600);
    expect(serveSession('/p/faces.dgs', false)).toEqual({ token: first.token, port: 8765 });
    expect(serveSession('/p/cars.dgs', false).token).not.toBe(first.token);
  });

  it('makes a new token when asked (--new-token)', () => {
    const first = serveSession('/p/faces.dgs', false);
    rememberServeSession('/p/faces.dgs', { token: first.token, port: 8765 });
    const fresh = serveSession('/p/faces.dgs', true);
    expect(fresh.token).not.toBe(first.token);
    expect(fresh.port).toBeNull();
  });

  it('trusts no token in a file that others can read, nor one that is too short', () => {
    const kept = serveSession('/p/faces.dgs', false);
    rememberServeSession('/p/faces.dgs', { token: kept.token, port: 8765 });
    fs.chmodSync(file(), 0o644);
    expect(serveSession('/p/faces.dgs', false).token).not.toBe(kept.token);
    fs.writeFileSync(file(), JSON.stringify({ '/p/faces.dgs': { token: 'short', port: 1 } }), { mode: 0o600 });
    fs.chmodSync(file(), 0o600);
    expect(serveSession('/p/faces.dgs', false).token).not.toBe('short');
  });
});
