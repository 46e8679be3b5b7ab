/**
 * How to start the compute process from wherever this code runs: from the sources (tests, through tsx's
 * loader, found by its absolute path so the current folder does not matter) or from a built bundle
 * (compute.js beside the CLI's bundle in out/cli, or beside the app's in out/main).
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { COMPUTE_NODE_FLAGS, computeProcessEnv } from '../node/compute-process-settings';

/** The script, its Node flags and its environment (with the compute process's memory settings). */
export function computeProcessScript(): { script: string; execArgv: string[]; env: NodeJS.ProcessEnv } {
  const env = computeProcessEnv();
  if (import.meta.url.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const script = fileURLToPath(new URL('./compute-process.ts', import.meta.url));
    return { script, execArgv: [...COMPUTE_NODE_FLAGS, '--import', tsx], env };
  }
  return { script: fileURLToPath(new URL('./compute.js', import.meta.url)), execArgv: [...COMPUTE_NODE_FLAGS], env };
}
