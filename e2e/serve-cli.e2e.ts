/**
 * `dgs serve` as typed on a command line: started from any folder it serves the studio with a working
 * compute process; refusals end it at once with a sentence (a file it cannot open, a public address
 * without --allow-host, a compute process that cannot start after its retries).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../src/cli/renderer-build';
import { hasChromium, launch, watchPage } from './helpers/browser';
import { serve } from './helpers/serve';
import { Workspace } from './helpers/workspace';

const ws = new Workspace('dgs-serve-cli-');
const TINY = path.resolve('e2e/fixtures/tiny-bundle');
afterAll(() => fs.rmSync(ws.dir, { recursive: true, force: true }));

function dgsIn(cwd: string, bin: string, ...args: string[]) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd, env: ws.env(), timeout: 120_000 });
  return { ...r, seconds: (Date.now() - t0) / 1000 };
}

describe('dgs serve', () => {
  beforeAll(() => {
    ws.dgs('init', ws.path('p.dgs'), '--model', TINY);
    ws.dgs('sample', ws.path('p.dgs'), '--count', '2');
  });

  it.skipIf(!hasChromium)('serves the studio, compute included, when started from another folder', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-serve-cwd-'));
    const served = await serve(ws.path('p.dgs'), [], ws.env(), { cwd: elsewhere });
    const browser = await launch();
    try {
      const page = await browser.newPage();
      const problems = watchPage(page);
      await page.goto(served.url);
      await expect.poll(() => page.getByRole('tab', { name: 'Gallery' }).isVisible(), { timeout: 60_000 }).toBe(true);
      // The page's own request (Origin: the studio's) reaches compute: a sample rendered in the compute process.
      const answer = await page.evaluate(async () => {
        const post = (channel: string, body: unknown) =>
          fetch(`/api/${channel}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-DGS-Request': '1' },
            body: JSON.stringify(body),
          }).then((r) => r.json());
        const list = (await post('samples:list', {})) as { value: { id: string }[] };
        return post('sample:image', { sampleId: list.value[0].id });
      });
      expect(answer).toMatchObject({ ok: true, value: { width: 32, height: 32 } });
      expect(problems).toEqual([]);
      expect(served.output()).not.toMatch(/stopped unexpectedly|could not start/);
    } finally {
      await browser.close();
      expect(await served.stop()).toBe(0);
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('exits 1 at once, with a sentence, on a file it refuses', () => {
    const bad = ws.path('notes.dgs');
    fs.writeFileSync(bad, 'not a project');
    const r = dgsIn(os.tmpdir(), path.resolve('bin/dgs.js'), 'serve', bad);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `dgs: ${bad} is not a DatasetGAN Studio project (it is not even an SQLite database); check that you chose the right file.\n`,
    );
    expect(r.seconds).toBeLessThan(30);
  });

  it('refuses a file that is not a project name, with a sentence', () => {
    const r = dgsIn(os.tmpdir(), path.resolve('bin/dgs.js'), 'serve', ws.path('notes.txt'));
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `dgs: ${ws.path('notes.txt')} does not end in .dgs; name a project file such as faces.dgs.`,
    );
  });

  it('serves a public address only for the host names given with --allow-host, and says why', async () => {
    const refused = dgsIn(os.tmpdir(), path.resolve('bin/dgs.js'), 'serve', ws.path('a.dgs'), '--host', '0.0.0.0');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^dgs: --host 0\.0\.0\.0 makes the studio reachable from other machines: name the host name their browsers will use with --allow-host NAME .*through a name pointed at this machine; or use an SSH tunnel to 127\.0\.0\.1\.\n$/,
    );
    const served = await serve(ws.path('a.dgs'), ['--host', '0.0.0.0', '--allow-host', 'gpu-box.lan'], ws.env());
    try {
      expect(served.output()).toMatch(
        /warning: serving on 0\.0\.0\.0, reachable from other machines as gpu-box\.lan: anyone who can reach this port and has the printed URL controls this project/,
      );
      expect(served.url).toMatch(/^http:\/\/gpu-box\.lan:\d+\/\?token=/);
      const port = new URL(served.url).port;
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
    } finally {
      expect(await served.stop()).toBe(0);
    }
    expect(fs.existsSync(ws.path('a.dgs'))).toBe(false);
  });

  it('exits 1 with the cause when its compute process cannot start, after 3 retries, without looping', async () => {
    // An installed copy whose compute bundle is broken: the real CLI bundle, and a compute.js whose import fails.
    expect(dgsIn(ws.dir, path.resolve('bin/dgs.js'), '--help').status).toBe(0);
    const rendererDir = await ensureRendererBuilt(() => undefined);
    const pkg = ws.path('broken-install');
    fs.mkdirSync(path.join(pkg, 'out'), { recursive: true });
    fs.cpSync(path.resolve('bin'), path.join(pkg, 'bin'), { recursive: true });
    fs.cpSync(path.resolve('out/cli'), path.join(pkg, 'out/cli'), { recursive: true });
    fs.symlinkSync(rendererDir, path.join(pkg, 'out/renderer'));
    fs.symlinkSync(path.resolve('node_modules'), path.join(pkg, 'node_modules'));
    fs.writeFileSync(path.join(pkg, 'out/cli/compute.js'), "require('no-such-native-module');\n");
    const r = dgsIn(os.tmpdir(), path.join(pkg, 'bin/dgs.js'), 'serve', ws.path('p.dgs'));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^dgs: The compute process could not start \(exit code 1: Error: Cannot find module 'no-such-native-module'.*\), 4 tries in a row; rerun with --debug to see its output, or reinstall DatasetGAN Studio\.\n$/,
    );
    expect(r.seconds).toBeLessThan(60);
    const debug = dgsIn(os.tmpdir(), path.join(pkg, 'bin/dgs.js'), 'serve', ws.path('p.dgs'), '--debug');
    expect(debug.status).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at .*compute\.js/m);
  });
});
