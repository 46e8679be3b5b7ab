/** `dgs serve` as typed on a command line: its warnings and refusals. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serve } from './helpers/serve';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-serve-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('dgs serve', () => {
  it('warns when it is reachable from other machines, and still needs the token', async () => {
    const served = await serve(path.join(tmp, 'a.dgs'), ['--host', '0.0.0.0']);
    try {
      expect(served.output()).toMatch(/warning: serving on 0\.0\.0\.0, reachable from other machines/);
      expect((await fetch(served.origin + '/')).status).toBe(401);
    } finally {
      expect(await served.stop()).toBe(0);
    }
    expect(fs.existsSync(path.join(tmp, 'a.dgs'))).toBe(false);
  });

  it('refuses a file that is not a project name, with a sentence', () => {
    const r = spawnSync(process.execPath, [path.resolve('bin/dgs.js'), 'serve', path.join(tmp, 'notes.txt')], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `dgs: ${path.join(tmp, 'notes.txt')} does not end in .dgs; name a project file such as faces.dgs.`,
    );
  });
});
