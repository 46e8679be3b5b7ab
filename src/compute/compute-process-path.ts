/**
 * How to start the compute process from wherever this code runs: from the sources (tests, through tsx's
 * loader, found by its absolute path so the current folder does not matter) or from a built bundle
 * (compute.js beside the CLI's bundle in out/cli, or beside the app's in out/main).
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function computeProcessScript(): { script: string; execArgv: string[] } {
  if (import.meta.url.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    return { script: fileURLToPath(new URL('./compute-process.ts', import.meta.url)), execArgv: ['--import', tsx] };
  }
  return { script: fileURLToPath(new URL('./compute.js', import.meta.url)), execArgv: [] };
}
