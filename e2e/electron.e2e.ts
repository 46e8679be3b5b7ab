/**
 * The desktop app itself, where an Electron binary exists (`npm start` downloads one; `npm ci` does
 * not, so on machines without it this test is skipped and says so). It opens the built app through
 * Playwright's Electron driver and checks the window's isolation and the first screen.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildApp } from './helpers/build';
import { shot } from './helpers/browser';

const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const rel = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const bin = path.join(dir, 'dist', rel);
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary)
  console.log(
    'electron.e2e: SKIPPED — no Electron binary in node_modules/electron (npm start downloads it; npm ci does not).',
  );

describe.skipIf(!binary)('the desktop app (Electron)', () => {
  it('opens an isolated, sandboxed window on the start screen', async () => {
    buildApp();
    const app = await electron.launch({
      executablePath: binary!,
      args: [path.resolve('.')],
      env: { ...process.env, ELECTRON_RENDERER_URL: '' },
    });
    try {
      const page = await app.firstWindow();
      await expect
        .poll(() => page.getByRole('button', { name: 'New project' }).isVisible(), { timeout: 30_000 })
        .toBe(true);
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await page.evaluate(() => location.protocol)).toBe('app:');
      await shot(page, 'electron-start');
    } finally {
      await app.close();
    }
  });
});
