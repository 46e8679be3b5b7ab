/**
 * Where the built-in assets live: `assets/` at the package root in a checkout or an npm install,
 * `resources/assets` in a packaged app (set DGS_ASSETS_DIR there), found by walking up from this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../shared/errors';

export function assetsDir(): string {
  const fromEnv = process.env.DGS_ASSETS_DIR;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'assets');
    if (fs.existsSync(path.join(candidate, 'demo-model.dgsmodel'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new UserError(
    'The built-in assets folder (with the demo model) was not found; reinstall DatasetGAN Studio or set DGS_ASSETS_DIR.',
  );
}

/** `--model default` means the built-in demo model. */
export function resolveModelArg(arg: string): string {
  return arg === 'default' ? path.join(assetsDir(), 'demo-model.dgsmodel') : arg;
}
