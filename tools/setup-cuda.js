#!/usr/bin/env node
// `npm run setup:cuda`: the one-command opt-in for NVIDIA GPUs. `npm ci` skips onnxruntime-node's
// install script (package.json allowScripts) so offline installs work; this runs it with its CUDA 12
// flag, which downloads the CUDA execution provider (~hundreds of MB). Needs internet, Linux x64, and a
// system CUDA 12 runtime with cuDNN 9. Afterwards `dgs info --json` shows which provider runs and why.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(
    `The CUDA provider of onnxruntime-node exists for Linux x64 only; this is ${process.platform}-${process.arch}. The app runs on the CPU here.`,
  );
  process.exit(1);
}
const script = path.join(path.dirname(require.resolve('onnxruntime-node/package.json')), 'script', 'install.js');
const r = spawnSync(process.execPath, [script, '--onnxruntime-node-install=cuda12'], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error(
    'Installing the CUDA provider failed (see above). Check the internet connection, then run `npm run setup:cuda` again; the CPU provider keeps working meanwhile.',
  );
  process.exit(1);
}
console.log('CUDA provider installed. `npx dgs info <project> --json` reports whether a GPU answers.');
