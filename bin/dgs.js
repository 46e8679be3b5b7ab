#!/usr/bin/env node
// The `dgs` command line: the compiled bundle out/cli/dgs.js (tools/build-cli.mjs). In a checkout it is
// built by `npm ci`, and built again here when its sources are newer, so `npx dgs` runs what the sources
// say; an installed package ships the bundle and has no sources.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
if (fs.existsSync(new URL('../src/cli/main.ts', import.meta.url))) {
  const { ensureCliBuilt } = await import('../tools/build-cli.mjs');
  await ensureCliBuilt();
}
// A reader that stops early (`dgs info x.dgs | head`) closes the pipe: that ends the command quietly.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
// Stack traces name the TypeScript sources only when asked for (reading the source maps costs time).
if (argv.includes('--debug')) process.setSourceMapsEnabled(true);
const { main } = createRequire(import.meta.url)('../out/cli/dgs.js');
// This script is named, so that a command that trains or generates can run it again with the compute
// process's memory settings (src/cli/relaunch.ts).
process.exitCode = await main(argv, fileURLToPath(import.meta.url));
