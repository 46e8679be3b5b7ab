#!/usr/bin/env node
// `npm test`: every check the project has, in order — the system packages the tests need (installed
// through apt when missing and allowed: tools/setup-system.sh), type check, lint, unit tests (vitest), the
// model tools' tests (pytest under Debian's /usr/bin/python3 with python3-torch), then end-to-end tests in
// Debian's Chromium against `dgs serve` and on a local Slurm cluster (e2e/*.e2e.ts). Stops at the first
// failing stage and exits non-zero. `node tools/run-tests.js <stage>` runs one stage.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const PY = process.env.DGS_PYTHON ?? '/usr/bin/python3';

function run(name, cmd, args, opts = {}) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(`=== ${name} FAILED after ${s}s (exit ${r.status ?? r.signal})\n`);
    process.exit(1);
  }
  process.stdout.write(`=== ${name} passed in ${s}s\n`);
}

function pythonHasTorch() {
  if (!fs.existsSync(PY)) return false;
  const r = spawnSync(PY, ['-c', 'import torch, onnx, numpy, pytest'], { stdio: 'ignore' });
  return r.status === 0;
}

const only = process.argv[2];
const stages = [
  [
    'system',
    () => {
      // Where apt cannot be used the later stages say what is missing; Linux without apt, macOS and
      // Windows skip this.
      if (process.platform !== 'linux') return;
      const r = spawnSync('bash', ['tools/setup-system.sh'], { stdio: 'inherit' });
      if (r.status !== 0) process.stdout.write('\n(continuing: the stages that need those packages will say so)\n');
    },
  ],
  ['typecheck', () => run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])],
  ['lint', () => run('lint', 'npx', ['eslint', '.'])],
  ['unit', () => run('unit tests', 'npx', ['vitest', 'run'])],
  [
    'python',
    () => {
      if (!pythonHasTorch()) {
        process.stdout.write(
          `\n${PY} lacks torch/onnx/numpy/pytest: install Debian's python3-torch python3-onnx python3-numpy python3-pytest (tools/setup-system.sh does).\n`,
        );
        process.exit(1);
      }
      run('model tools tests', PY, ['-m', 'pytest', 'tools', '-q', '-p', 'no:cacheprovider']);
    },
  ],
  [
    'e2e',
    () => {
      const chromium = process.env.DGS_CHROMIUM ?? '/usr/bin/chromium';
      if (!fs.existsSync(chromium)) {
        process.stdout.write(
          `\n${chromium} is missing: install Debian's chromium (tools/setup-system.sh does) to run the end-to-end tests.\n`,
        );
        process.exit(1);
      }
      run('end-to-end tests', 'npx', ['vitest', 'run', '-c', 'vitest.e2e.config.ts']);
    },
  ],
];
for (const [name, fn] of stages) if (!only || only === name) fn();
process.stdout.write('\nAll test stages passed.\n');
