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
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  if (r.status !== 0 || !electronInstalled()) {
    console.error(
      'Could not download the Electron runtime (no internet?). The command line works without it: `npx dgs --help`.',
    );
    process.exit(1);
  }
}
/**
 * better-sqlite3 in node_modules is built for Node (the CLI and tests use it). Electron needs a build for
 * its own ABI: fetch the prebuilt one (or compile it) into out/native once per Electron version, and
 * point the app at it with DGS_SQLITE_BINDING, leaving node_modules untouched.
 */
function electronSqliteBinding() {
  const version = JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
  const target = path.resolve(
    'out',
    'native',
    `electron-${version}-${process.platform}-${process.arch}`,
    'better_sqlite3.node',
  );
  if (fs.existsSync(target)) return target;
  const pkgDir = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = path.resolve('out', 'native', 'build-better-sqlite3');
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(pkgDir, work, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });
  console.log(`Preparing better-sqlite3 for Electron ${version} (first start only)…`);
  const prebuilt = spawnSync(
    process.execPath,
    [
      require.resolve('prebuild-install/bin.js', { paths: [pkgDir] }),
      '--runtime',
      'electron',
      '--target',
      version,
      '--arch',
      process.arch,
      '--platform',
      process.platform,
    ],
    { cwd: work, stdio: 'inherit' },
  );
  if (prebuilt.status !== 0) {
    const built = spawnSync(
      'npx',
      ['node-gyp', 'rebuild', '--release', `--target=${version}`, '--dist-url=https://electronjs.org/headers'],
      { cwd: work, stdio: 'inherit' },
    );
    if (built.status !== 0) {
      console.error(
        'Could not get better-sqlite3 for Electron (no internet, or no C++ toolchain). The command line works without it: `npx dgs --help`.',
      );
      process.exit(1);
    }
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  fs.rmSync(work, { recursive: true, force: true });
  return target;
}

const env = { ...process.env, DGS_SQLITE_BINDING: electronSqliteBinding() };
const vite = spawnSync('npx', ['electron-vite', 'preview', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(vite.status ?? 1);
