/**
 * Where a worker thread's script is: the built file beside the bundle when one was set (the app's
 * compute process), else the TypeScript source started through tsx's loader by a small boot file (the
 * CLI and the tests run the sources), else nowhere (the caller then works in its own thread).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function workerScriptUrl(built: string | null, boot: URL, callerUrl: string): URL | null {
  if (built && existsSync(built)) return pathToFileURL(built);
  return callerUrl.endsWith('.ts') && existsSync(fileURLToPath(boot)) ? boot : null;
}
