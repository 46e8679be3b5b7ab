#!/usr/bin/env node
/**
 * The compiled `dgs`: one CommonJS bundle per process entry in out/cli — the command line (dgs.js), the
 * compute process `dgs serve` forks (compute.js) and the three worker threads compute starts
 * (train-worker.js, label-worker.js, write-worker.js), each found beside the bundle that starts it
 * (src/compute/compute-process-path.ts, src/compute/worker-scripts.ts). Everything is bundled but the
 * native packages (better-sqlite3, onnxruntime-node) and Vite, which `dgs serve` loads only to build the
 * studio's UI in a checkout.
 *
 * CommonJS, not ESM, because esbuild then initialises a module reached by `await import()` only when that
 * import runs, native packages included: `dgs --help` loads neither onnxruntime nor SQLite (the commands
 * import their jobs inside run(), src/cli/commands). New commands need no change here: the CLI bundle
 * follows src/cli/main.ts's imports.
 *
 * `npm ci` runs this (the `prepare` script); bin/dgs.js runs it again in a checkout whose sources are
 * newer than the build. `node tools/build-cli.mjs renderer` builds the studio's UI into out/renderer instead
 * (`npm pack` runs it: the package ships the UI, since Vite is not installed with it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIR = path.join(ROOT, 'out', 'cli');
const STAMP = path.join(CLI_DIR, 'build-inputs.json');
const LOCK = path.join(ROOT, 'out', 'cli.lock');

const ENTRIES = {
  dgs: 'src/cli/main.ts',
  compute: 'src/compute/compute-process.ts',
  'train-worker': 'src/compute/interpreter/train/worker.ts',
  'label-worker': 'src/compute/interpreter/label/worker.ts',
  'write-worker': 'src/node/dataset-writer/write-worker.ts',
};

/** Files whose change means a rebuild, besides the sources the last build read. */
const ALWAYS = ['tools/build-cli.mjs', 'package-lock.json'];

/** Whether out/cli is missing or older than a file it was built from (a few hundred stat calls). */
export function cliIsStale() {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
  } catch {
    return true;
  }
  for (const rel of [...stamp.inputs, ...ALWAYS]) {
    let mtime;
    try {
      mtime = fs.statSync(path.join(ROOT, rel)).mtimeMs;
    } catch {
      return true;
    }
    if (mtime > stamp.startedAt) return true;
  }
  return !Object.keys(ENTRIES).every((name) => fs.existsSync(path.join(CLI_DIR, `${name}.js`)));
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * One builder at a time (tests start many `dgs` at once): the lock is a folder holding the builder's
 * pid; a lock whose builder is gone is taken over.
 */
async function withLock(fn) {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8'));
      } catch {
        // The owner has not written its pid yet, or just let go.
      }
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if ((Number.isInteger(owner) && !processAlive(owner)) || age > 300_000)
        fs.rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
    return await fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Build out/cli from the sources: into a fresh folder, which then takes out/cli's place. */
export async function buildCli() {
  const esbuild = await import('esbuild');
  const startedAt = Date.now();
  const staging = path.join(ROOT, 'out', `cli.build-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: staging,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', 'onnxruntime-node', 'vite'],
    // import.meta.url, which the sources use to find files beside themselves, as a CommonJS bundle has it.
    define: { 'import.meta.url': '__dgsModuleUrl' },
    banner: { js: "const __dgsModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
  fs.writeFileSync(path.join(staging, 'package.json'), '{ "type": "commonjs" }\n');
  fs.writeFileSync(path.join(staging, 'build-inputs.json'), JSON.stringify({ startedAt, inputs }) + '\n');
  const old = path.join(ROOT, 'out', `cli.old-${process.pid}`);
  if (fs.existsSync(CLI_DIR)) fs.renameSync(CLI_DIR, old);
  fs.renameSync(staging, CLI_DIR);
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * Build out/cli when it is missing or stale; another process building it is waited for. The note is for
 * a person at a terminal: scripts and tests read `dgs`'s stderr for its sentences alone.
 */
export async function ensureCliBuilt(log = (line) => process.stderr.isTTY && process.stderr.write(line + '\n')) {
  if (!cliIsStale()) return;
  await withLock(async () => {
    if (!cliIsStale()) return; // built by whoever held the lock
    log('Building the dgs command line (once, or after its sources changed)…');
    await buildCli();
  });
}

/** The studio's UI for `dgs serve`, with the same Vite config as the desktop app. */
async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.renderer.config.ts'), logLevel: 'warn' });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'renderer') {
    await buildRenderer();
  } else if (
    !(await import('esbuild').then(
      () => true,
      () => false,
    ))
  ) {
    // `npm ci --omit=dev`: nothing to build with; a packed copy ships out/cli already.
    console.log('esbuild is not installed (a production install); the dgs bundles are not rebuilt.');
  } else {
    await withLock(() => buildCli());
  }
}
