/** The desktop app's bundles (out/main, out/preload, out/renderer), built once per test run with electron-vite. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

let built = false;

export function buildApp(): void {
  if (built) return;
  const r = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'error'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
  for (const f of [
    'out/main/index.js',
    'out/main/compute.js',
    'out/main/train-worker.js',
    'out/main/label-worker.js',
    'out/main/write-worker.js',
    'out/preload/index.cjs',
    'out/renderer/index.html',
  ]) {
    if (!fs.existsSync(path.resolve(f))) throw new Error(`electron-vite build did not write ${f}`);
  }
  built = true;
}
