/** Running `dgs` as a user does, for the CLI tests: a real child process on bin/dgs.js, and a scratch folder. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

const BIN = path.resolve('bin/dgs.js');
export const TINY = path.resolve('e2e/fixtures/tiny-bundle');

/** The CLI's remembered settings (the author's name) go to a folder of the tests' own, not the user's. */
const CONFIG = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-cli-config-'));
process.once('exit', () => fs.rmSync(CONFIG, { recursive: true, force: true }));

export function dgs(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DGS_PROVIDER: '', DGS_CONFIG_DIR: CONFIG };
  delete env.DGS_AUTHOR;
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary folder made before the file's tests and removed after them; read `.path` inside tests. */
export function scratchDir(prefix: string): { path: string } {
  const dir = { path: '' };
  beforeAll(() => {
    dir.path = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => fs.rmSync(dir.path, { recursive: true, force: true }));
  return dir;
}
