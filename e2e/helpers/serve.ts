/**
 * `dgs serve` as a user starts it: a child process running bin/dgs.js (or another copy's, `opts.bin`)
 * from any folder (`opts.cwd`), whose printed URL (with its token) the tests open. Stopped with SIGINT,
 * as Ctrl-C would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface Served {
  url: string;
  origin: string;
  output: () => string;
  stop(): Promise<number | null>;
  child: ChildProcess;
}

export async function serve(
  file: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = {},
  opts: { cwd?: string; bin?: string } = {},
): Promise<Served> {
  const bin = opts.bin ?? path.resolve('bin/dgs.js');
  const child = spawn(process.execPath, [bin, 'serve', file, '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    cwd: opts.cwd,
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dgs serve printed no URL in time:\n${out}`)), 240_000);
    const check = () => {
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dgs serve exited (${code}):\n${out}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    output: () => out,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGINT');
      }),
  };
}

/**
 * The compute process(es) `dgs serve` runs now: children of the server running out/cli/compute.js (the
 * compiled CLI) or compute-process.ts (from the sources).
 */
export function computePids(served: Served): number[] {
  const r = spawnSync('pgrep', ['-P', String(served.child.pid), '-f', 'compute(-process\\.ts|\\.js)'], {
    encoding: 'utf8',
  });
  return r.stdout.trim().split('\n').filter(Boolean).map(Number);
}
