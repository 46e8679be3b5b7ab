import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runGeneration } from '../generate';
import { treeDifferences } from './helpers';
import { KILL_TEST_OPTIONS, shapeSource } from './shape-source';

const tmp = mkdtempSync(join(tmpdir(), 'dgs-kill-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const CHILD = fileURLToPath(new URL('./run-child.ts', import.meta.url));

/**
 * Runs the generation in a real child process and SIGKILLs it once it reports `phase done` with
 * done ≥ `atDone` (plus a small, varying delay so the kill lands at different moments). Resolves with
 * whether the child was killed (false: it finished first).
 */
function runAndKill(
  outDir: string,
  resume: boolean,
  phase: string,
  atDone: number,
  jitterMs: number,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, outDir, resume ? 'resume' : ''], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killing = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const hit = out.split('\n').some((l) => {
        const [tag, p, n] = l.split(' ');
        return tag === 'progress' && p === phase && Number(n) >= atDone;
      });
      if (hit && !killing) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), jitterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(true);
      else if (code === 0) resolve(false);
      else reject(new Error(`child failed (${code}): ${err}`));
    });
  });
}

const manifestLines = (dir: string): number =>
  readFileSync(join(dir, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.endsWith('}')).length;

describe('resume after SIGKILL', () => {
  it('a run killed three times (twice mid-generation, once while finishing) resumes to the exact bytes of an uninterrupted run', async () => {
    const full = join(tmp, 'full');
    await runGeneration(shapeSource(), { ...KILL_TEST_OPTIONS, outDir: full });

    const dir = join(tmp, 'killed');
    expect(await runAndKill(dir, false, 'generating', 6, 1)).toBe(true);
    const afterFirst = manifestLines(dir);
    expect(afterFirst).toBeGreaterThanOrEqual(6);
    expect(afterFirst).toBeLessThan(38);
    // Resuming without --resume is refused; with it, the run goes on (and is killed again).
    await expect(runGeneration(shapeSource(), { ...KILL_TEST_OPTIONS, outDir: dir })).rejects.toMatchObject({
      name: 'UserError',
    });
    // (On a very loaded machine the first kill may land late; the second needs samples left to kill in.)
    if (afterFirst + 9 < 38) {
      expect(await runAndKill(dir, true, 'generating', afterFirst + 9, 3)).toBe(true);
      expect(manifestLines(dir)).toBeGreaterThan(afterFirst);
    }
    // Third kill as soon as generation is over: lands in (or just after) the filter/export step.
    await runAndKill(dir, true, 'finalizing', 0, 0);

    const summary = await runGeneration(shapeSource(), { ...KILL_TEST_OPTIONS, outDir: dir, resume: true });
    expect(summary).toMatchObject({ status: 'finished', kept: 30 });
    expect(treeDifferences(full, dir)).toEqual([]);
  });

  it('resume repairs a torn manifest line, surplus latents, stray temporaries and orphan sample files', async () => {
    const full = join(tmp, 'full2');
    const opts = { ...KILL_TEST_OPTIONS, count: 12 };
    await runGeneration(shapeSource(), { ...opts, outDir: full });
    const dir = join(tmp, 'damaged');
    const ac = new AbortController();
    await runGeneration(shapeSource(), {
      ...opts,
      outDir: dir,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done >= 6) ac.abort();
      },
    });
    // What a kill between the steps of one sample's commit can leave behind:
    appendFileSync(join(dir, 'manifest.jsonl'), '{"name":"00000006","index":6,"se');
    appendFileSync(join(dir, 'latents.bin'), Buffer.alloc(70, 7));
    mkdirSync(join(dir, '.dgs-work/tmp'), { recursive: true });
    writeFileSync(join(dir, '.dgs-work/tmp/123-4.tmp'), 'half a png');
    writeFileSync(join(dir, 'images/00000007.png'), 'not the final bytes');
    await runGeneration(shapeSource(), { ...opts, outDir: dir, resume: true });
    expect(treeDifferences(full, dir)).toEqual([]);
  });
});
