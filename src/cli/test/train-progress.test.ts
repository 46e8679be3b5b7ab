/**
 * `dgs train` as a user runs it (a real child process, a real project on the tiny bundle): its JSON
 * progress moves within each stage and never says NaN, says when the ensemble is stored before the report
 * is in, and the report says how long the ensemble took to be usable; a bad --rule is refused unchanged.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLocalCompute } from '../../compute';
import { makeTinyProject } from '../../engine/jobs/test/tiny-project';
import { dgs, scratchDir } from './run-dgs';

const tmp = scratchDir('dgs-cli-train-');

describe('dgs train', () => {
  it('prints progress that moves within each stage, a stored line before the report, and no NaN', async () => {
    const file = path.join(tmp.path, 'p.dgs');
    const compute = openLocalCompute();
    await makeTinyProject(file, compute);
    await compute.dispose();
    const r = dgs('train', file, '--models', '2', '--cv-folds', '3', '--json');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { stored?: string; fraction?: number; detail?: string; ready_s?: number });
    expect(r.stderr).not.toMatch(/NaN/);
    const stored = lines.findIndex((l) => l.stored !== undefined);
    expect(stored).toBeGreaterThan(0);
    const progress = lines.filter((l) => l.fraction !== undefined);
    // Three stages on one bar (loading, the ensemble, the report): it only moves forward, to the end.
    progress.forEach((l, i) => i && expect(l.fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction!));
    expect(progress.at(-1)!.fraction).toBe(1);
    expect(progress.filter((l) => /cross-validation/.test(l.detail ?? '')).every((l) => l.fraction! >= 2 / 3)).toBe(
      true,
    );
    expect(lines.slice(stored + 1).some((l) => /cross-validation/.test(l.detail ?? ''))).toBe(true);
    expect(lines.slice(0, stored).some((l) => /cross-validation/.test(l.detail ?? ''))).toBe(false);
    const report = JSON.parse(r.stdout) as { interpreter: string; report: string; ready_s: number; wall_s: number };
    expect(report.interpreter).toBe(lines[stored].stored);
    expect(report.report).toBe('done');
    expect(report.ready_s).toBeGreaterThan(0);
    expect(report.ready_s).toBeLessThan(report.wall_s + 5);
  }, 600_000);

  it('refuses an unknown rule with a sentence and leaves the project unchanged', async () => {
    const file = path.join(tmp.path, 'p.dgs');
    const before = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const r = dgs('train', file, '--rule', 'fast');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dgs: --rule must be heldout or official, not "fast"\./);
    expect(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(before);
  });
});
