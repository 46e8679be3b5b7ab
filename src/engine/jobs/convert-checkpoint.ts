/**
 * A StyleGAN checkpoint converted into a model bundle by tools/stylegan/convert.py (the New project
 * wizard's third choice). Python with PyTorch does the work: DGS_PYTHON names it, else python3. The
 * converter prints one sentence on stderr for anything the user can fix; that sentence becomes ours.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../shared/errors';
import { assetsDir } from '../../node/bundle/assets';

function converterScript(): string {
  // tools/ sits beside assets/ in a checkout and in a packaged app's resources.
  return path.join(path.dirname(assetsDir()), 'tools', 'stylegan', 'convert.py');
}

export interface ConvertedBundle {
  dir: string;
  /** Removes the temporary bundle folder. */
  dispose(): void;
}

export async function convertCheckpoint(
  checkpoint: string,
  opts: { signal?: AbortSignal; onLine?: (line: string) => void } = {},
): Promise<ConvertedBundle> {
  if (!fs.existsSync(checkpoint) || !fs.statSync(checkpoint).isFile())
    throw new UserError(`The checkpoint ${checkpoint} does not exist or is not a file.`);
  const script = converterScript();
  if (!fs.existsSync(script))
    throw new UserError(
      'The checkpoint converter (tools/stylegan/convert.py) is not installed with this copy; convert the checkpoint on a machine with the source checkout.',
    );
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-convert-'));
  const dir = path.join(work, 'model.dgsmodel');
  const dispose = () => fs.rmSync(work, { recursive: true, force: true });
  const python = process.env.DGS_PYTHON ?? 'python3';
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(python, [script, checkpoint, '--out', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
        signal: opts.signal,
      });
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) =>
        chunk
          .split('\n')
          .filter(Boolean)
          .forEach((l) => opts.onLine?.(l)),
      );
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      child.on('error', (e) =>
        reject(
          e.name === 'AbortError'
            ? e
            : new UserError(
                `Could not run ${python} for the checkpoint converter (${e.message}); install Python 3 with PyTorch, or set DGS_PYTHON.`,
              ),
        ),
      );
      child.on('exit', (code) => {
        if (code === 0) resolve();
        else {
          const lines = stderr.trim().split('\n');
          const last = lines[lines.length - 1] || `exit code ${code}`;
          reject(
            code === 1 && lines.length <= 2
              ? new UserError(last)
              : new UserError(`The checkpoint converter failed (${last}); see docs/models.md.`),
          );
        }
      });
    });
  } catch (e) {
    dispose();
    throw e;
  }
  return { dir, dispose };
}
