import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('bounded memory', () => {
  // A separate process, so its peak RSS is the training's alone; ~1.3 GB measured (docs/interpreter.md).
  it('trains on 16 annotated samples of a 512²-shaped StyleGAN2 (6,016 dims) under 2 GB peak RSS', () => {
    const probe = fileURLToPath(new URL('../../../../bench/interpreter-parts/memory-probe.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', probe, '2', '16'], { encoding: 'utf8', timeout: 170_000 });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').pop() as string);
    expect(report.featureDims).toBe(6016);
    expect(report.samples).toBe(16);
    expect(report.stepsPerMember).toBe(2);
    expect(report.peakRssMB).toBeLessThan(2000);
  }, 180_000);
});
