/**
 * `dgs train` (and the other commands that train or generate) run again with the compute process's
 * memory settings: the process doing the work has them, and it ends with the `dgs` a user started, even
 * when that one is SIGKILLed. Linux only: it reads the processes through /proc.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalCompute } from '../../compute';
import { makeTinyProject, TINY_BUNDLE } from '../../engine/jobs/test/tiny-project';
import { Project } from '../../engine/project';

const BIN = path.resolve('bin/dgs.js');
let tmp: string;
let file: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-relaunch-'));
  file = path.join(tmp, 'p.dgs');
  const compute = openLocalCompute();
  try {
    await makeTinyProject(file, compute);
  } finally {
    await compute.dispose();
  }
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The process's state letter, or null once it is gone (a zombie counts as gone: it runs nothing). */
function state(pid: number): string | null {
  try {
    const s = /State:\s+(\S)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
    return s === 'Z' ? null : s;
  } catch {
    return null;
  }
}

describe.runIf(process.platform === 'linux')('a command that trains', () => {
  it('runs in a child with the settings, which ends when its parent is SIGKILLed', async () => {
    const parent = spawn(
      process.execPath,
      [BIN, 'train', file, '--models', '10', '--epochs', '100', '--cv-folds', '4', '--json-progress'],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DGS_PROVIDER: '' } },
    );
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    // A progress line comes from the child doing the work.
    await new Promise<void>((resolve) => {
      let text = '';
      parent.stderr!.on('data', (d) => {
        text += String(d);
        if (/"progress":/.test(text)) resolve();
      });
    });
    const cmdline = (pid: string) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const children = fs.readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim().split(/\s+/);
    // Besides a rebuild's esbuild service, when the bundle was stale: the command once more.
    const again = children.filter((pid) => cmdline(pid).includes(BIN));
    expect(again).toHaveLength(1);
    const child = Number(again[0]);
    const environ = fs.readFileSync(`/proc/${child}/environ`, 'utf8').split('\0');
    expect(environ).toContain('GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1048576');
    expect(cmdline(again[0])).toContain('--expose-gc');
    expect(cmdline(again[0])).toEqual(expect.arrayContaining(['train', file, '--cv-folds', '4', '--json-progress']));
    expect(state(child)).not.toBeNull();

    parent.kill('SIGKILL');
    await exited;
    const until = Date.now() + 5000;
    while (state(child) !== null && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(state(child), 'the child outlived its SIGKILLed parent').toBeNull();
    const project = Project.open(file);
    try {
      expect(project.integrityCheck()).toEqual(['ok']);
    } finally {
      project.dispose();
    }
  }, 60_000);

  it('passes a Ctrl-C sent to dgs on once: the command stops with its sentence and exit 130', async () => {
    const parent = spawn(
      process.execPath,
      [BIN, 'train', file, '--models', '10', '--epochs', '100', '--json-progress'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, DGS_PROVIDER: '' },
      },
    );
    let err = '';
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    await new Promise<void>((resolve) =>
      parent.stderr!.on('data', (d) => {
        err += String(d);
        if (/"progress":/.test(err)) resolve();
      }),
    );
    parent.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(err).toMatch(/dgs: Stopped by Ctrl-C; what was saved before it is kept/);
    expect(err).not.toMatch(/internal error/);
  }, 60_000);

  it("passes the child's exit code on, and a missing file is answered before any relaunch", async () => {
    const run = async (args: string[]) => {
      const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr!.on('data', (d) => (err += String(d)));
      const code = await new Promise((resolve) => p.once('exit', resolve));
      return { code, err };
    };
    const missing = await run(['train', path.join(tmp, 'missing.dgs')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^dgs: .*missing\.dgs/);
    // A project with no annotations: refused by the training itself, in the relaunched process.
    const empty = path.join(tmp, 'empty.dgs');
    expect((await run(['init', empty, '--model', TINY_BUNDLE, '--classes', 'background,red'])).code).toBe(0);
    const refused = await run(['train', empty]);
    expect(refused.code).toBe(1);
    expect(refused.err.match(/annotate at least 2/g)).toHaveLength(1);
  }, 60_000);
});
