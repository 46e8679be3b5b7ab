#!/usr/bin/env node
// `npm start`: open the desktop app. `npm ci` skips Electron's download script (package.json
// allowScripts) so offline installs work; here we fetch the Electron runtime the first time, then build
// and launch the app with electron-vite. What the download and build tools print is kept back: a failure
// is one sentence, and `npm start -- --debug` shows their output too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const debug = process.argv.includes('--debug');
const appArgs = process.argv.slice(2).filter((a) => a !== '--debug');

/** Run a setup tool with its output captured; shown as it comes only with --debug. */
function quietly(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { ...opts, stdio: debug ? 'inherit' : 'pipe', encoding: 'utf8' });
}

/** A setup step failed: one sentence (what the tool printed was shown only with --debug). */
function fail(what) {
  const more = debug ? '' : ', and `npm start -- --debug` shows what went wrong';
  console.error(`${what}; the command line works without it (\`npx dgs --help\`)${more}.`);
  process.exit(1);
}

function electronInstalled() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return false;
  return fs.existsSync(path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim()));
}

if (!electronInstalled()) {
  console.log('Fetching the Electron runtime (first start only)…');
  const r = quietly(process.execPath, [path.join(electronDir, 'install.js')], {
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  if (r.status !== 0 || !electronInstalled()) fail('Could not download the Electron runtime (no internet?)');
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
  const prebuilt = quietly(
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
    { cwd: work },
  );
  if (prebuilt.status !== 0) {
    const built = quietly(
      'npx',
      ['node-gyp', 'rebuild', '--release', `--target=${version}`, '--dist-url=https://electronjs.org/headers'],
      { cwd: work },
    );
    if (built.status !== 0) fail('Could not get better-sqlite3 for Electron (no internet, or no C++ toolchain)');
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  fs.rmSync(work, { recursive: true, force: true });
  return target;
}

const env = { ...process.env, DGS_SQLITE_BINDING: electronSqliteBinding() };
const vite = spawnSync('npx', ['electron-vite', 'preview', ...appArgs], { stdio: 'inherit', env });
process.exit(vite.status ?? 1);
