#!/usr/bin/env node
// `npm start`: open the desktop app. `npm ci` skips Electron's download script (package.json
// allowScripts) so offline installs work; here we fetch the Electron runtime the first time, then build
// and launch the app with electron-vite.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));

function electronInstalled() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return false;
  return fs.existsSync(path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim()));
}

if (!electronInstalled()) {
  console.log('Fetching the Electron runtime (first start only)…');
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' } });
  if (r.status !== 0 || !electronInstalled()) {
    console.error('Could not download the Electron runtime (no internet?). The command line works without it: `npx dgs --help`.');
    process.exit(1);
  }
}
const vite = spawnSync('npx', ['electron-vite', 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(vite.status ?? 1);
