#!/usr/bin/env node
// The `dgs` command line. TypeScript sources run through tsx's loader, so `npx dgs` works right after
// `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
