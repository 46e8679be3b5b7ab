/**
 * `dgs serve` as a user starts it: a child process running bin/dgs.js, whose printed URL (with its
 * token) the tests open. Stopped with SIGINT, as Ctrl-C would.
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

export async function serve(file: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [path.resolve('bin/dgs.js'), 'serve', file, '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
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

/** The compute process(es) `dgs serve` runs now (children of the server running compute-process). */
export function computePids(served: Served): number[] {
  const r = spawnSync('pgrep', ['-P', String(served.child.pid), '-f', 'compute-process'], { encoding: 'utf8' });
  return r.stdout.trim().split('\n').filter(Boolean).map(Number);
}
