/**
 * `npm start` on a machine that cannot download Electron: the real start script, with Electron's
 * download pointed at a closed local port (as fast a failure as no internet) and an empty download
 * cache, prints its sentence alone; the download library's error and stack trace only with --debug.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const installed = fs.existsSync(path.join(electronDir, 'path.txt'));
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-electron-cache-'));
afterAll(() => fs.rmSync(cache, { recursive: true, force: true }));

function start(...args: string[]) {
  return spawnSync(process.execPath, ['tools/start-electron.js', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache },
  });
}

if (installed)
  console.log(`start-electron test skipped: Electron is installed in ${electronDir}, so npm start would open the app.`);

describe.skipIf(installed)('npm start without internet', () => {
  it('prints one sentence, no stack trace', () => {
    const r = start();
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('Fetching the Electron runtime (first start only)…\n');
    expect(r.stderr).toBe(
      'Could not download the Electron runtime (no internet?); the command line works without it (`npx dgs --help`), and `npm start -- --debug` shows what went wrong.\n',
    );
  });

  it('shows the download error with --debug', () => {
    const r = start('--debug');
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/ECONNREFUSED 127\.0\.0\.1:9/);
  });
});
