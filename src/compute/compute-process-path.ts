/**
 * How to start the compute process from wherever this code runs: from the sources (the CLI and tests,
 * through tsx's loader) or from a built bundle (compute.js beside this file's bundle).
 */
import { fileURLToPath } from 'node:url';

export function computeProcessScript(): { script: string; execArgv: string[] } {
  if (import.meta.url.endsWith('.ts')) {
    return { script: fileURLToPath(new URL('./compute-process.ts', import.meta.url)), execArgv: ['--import', 'tsx'] };
  }
  return { script: fileURLToPath(new URL('./compute.js', import.meta.url)), execArgv: [] };
}
