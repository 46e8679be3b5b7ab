/**
 * Active learning on a real project (the tiny bundle, a trained two-member interpreter): `suggest`
 * must pick seeds the interpreter is less sure about than seeds drawn at random.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalCompute } from '../../../compute';
import type { Compute } from '../../../shared/compute-api';
import { Project } from '../../project';
import { meanUncertainty, suggestSamples } from '../suggest';
import { trainProject } from '../train-project';
import { makeTinyProject } from './tiny-project';

let tmp: string;
let file: string;
const compute: Compute = openLocalCompute();

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-suggest-'));
  file = path.join(tmp, 'suggest.dgs');
  await makeTinyProject(file, compute, [0, 1, 2]);
});
afterAll(async () => {
  await compute.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('suggest', () => {
  it('refuses a project without a trained interpreter, with a sentence', async () => {
    const project = Project.open(file);
    await expect(suggestSamples(project, compute, { count: 2, provider: 'cpu' })).rejects.toThrow(
      /no trained interpreter/,
    );
    project.dispose();
  });

  it('picks seeds more uncertain than random ones, ranked by mean JS divergence, and can add them', async () => {
    const project = Project.open(file);
    await trainProject(project, compute, {
      provider: 'cpu',
      options: { members: 3, cvFolds: 2, maxSteps: 150, cvMaxSteps: 60 },
    });
    const r = await suggestSamples(project, compute, { count: 4, pool: 40, provider: 'cpu', add: true });
    expect(r.ranked).toHaveLength(40);
    expect(r.picks).toEqual(r.ranked.slice(0, 4));
    for (let i = 1; i < r.ranked.length; i++)
      expect(r.ranked[i - 1].uncertainty).toBeGreaterThanOrEqual(r.ranked[i].uncertainty);
    // Fresh seeds only: none of the three annotated samples' seeds.
    expect(r.ranked.some((s) => s.seed <= 2)).toBe(false);

    // Random seeds from elsewhere, scored independently.
    let state = 12345;
    const random = Array.from({ length: 12 }, () => ((state = (state * 1103515245 + 12345) % 2 ** 31) % 100000) + 1000);
    const randomMean =
      (await meanUncertainty(project, compute, random, r.psi, { provider: 'cpu' })).reduce((a, b) => a + b, 0) /
      random.length;
    const picksMean = r.picks.reduce((a, p) => a + p.uncertainty, 0) / r.picks.length;
    expect(picksMean).toBeGreaterThan(randomMean);
    // The job's figures are the same as scoring the picks again.
    const again = await meanUncertainty(
      project,
      compute,
      r.picks.map((p) => p.seed),
      r.psi,
      { provider: 'cpu' },
    );
    again.forEach((u, i) => expect(u).toBeCloseTo(r.picks[i].uncertainty, 6));

    expect(r.added.map((s) => s.seed)).toEqual(r.picks.map((p) => p.seed));
    expect(project.listSamples()).toHaveLength(3 + 4);
    project.dispose();
  });
});
