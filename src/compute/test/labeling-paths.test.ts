/**
 * The compute core's two labeling paths (interpreter/label/labeling-path.ts) give the same results
 * through its methods: `label` from seeds and from stored samples (pre-label, suggest), and `generate`
 * (the dataset's label files), on the tiny bundle with a trained interpreter. The GPU path is the
 * one-graph path; here it is forced on the CPU provider, where its bytes must equal the streamed path's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeOver, type Compute, type LabelInput } from '../../shared/compute-api';
import { Project } from '../../engine/project';
import { interpreterInUse } from '../../engine/project/interpreter-choice';
import { projectModel } from '../../engine/project/model';
import { trainProject } from '../../engine/jobs/train-project';
import { generateForProject } from '../../engine/jobs/generate-project';
import { makeTinyProject } from '../../engine/jobs/test/tiny-project';
import { LocalComputeCore } from '../compute-core';

let tmp: string;
let file: string;
const streamed = computeOver(new LocalComputeCore({ labelingPath: 'streamed' }));
const oneGraph = computeOver(new LocalComputeCore({ labelingPath: 'one-graph' }));

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-paths-'));
  file = path.join(tmp, 'p.dgs');
  await makeTinyProject(file, streamed);
  const project = Project.open(file);
  try {
    await trainProject(project, streamed, { provider: 'cpu', options: { members: 4, cvFolds: 0, maxSteps: 60 } });
  } finally {
    project.dispose();
  }
});
afterAll(async () => {
  await streamed.dispose();
  await oneGraph.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function labelWith(compute: Compute, input: LabelInput) {
  const project = Project.open(file);
  try {
    const { ref } = projectModel(project, 'cpu');
    const it = interpreterInUse(project, ref.sha256)!;
    return await compute.label(ref, it.ref, { input, want: { labels: true, uncertainty: true, images: true } });
  } finally {
    project.dispose();
  }
}

describe('the compute core’s labeling paths', () => {
  it('label the same seeds and stored samples alike', async () => {
    const seeds = { seeds: [3, 7, 11], psi: 0.7 };
    const [a, b] = [await labelWith(streamed, seeds), await labelWith(oneGraph, seeds)];
    expect(b.images).toEqual(a.images);
    expect(b.labels).toEqual(a.labels);
    expect(b.uncertainty).toEqual(a.uncertainty);
    expect(b.score).toEqual(a.score);
    expect(a.labels.some((l) => l.some((v) => v === 1))).toBe(true);

    const project = Project.open(file);
    const items = project.listSamples().map((s) => ({ w: project.getLatents(s.id).w, psi: s.psi === 0.7 ? 1 : 0.7 }));
    project.dispose();
    const [c, d] = [await labelWith(streamed, { items }), await labelWith(oneGraph, { items })];
    expect(d.images).toEqual(c.images);
    expect(d.labels).toEqual(c.labels);
  });

  it('generate the same dataset files', async () => {
    const outs = [path.join(tmp, 'a'), path.join(tmp, 'b')];
    for (const [k, compute] of [streamed, oneGraph].entries()) {
      const project = Project.open(file);
      try {
        await generateForProject(project, compute, {
          outDir: outs[k],
          count: 6,
          filter: 0.25,
          seed: 5,
          batch: 4,
          provider: 'cpu',
        });
      } finally {
        project.dispose();
      }
    }
    const files = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).sort();
    expect(files(outs[1])).toEqual(files(outs[0]));
    const labelFiles = files(outs[0]).filter((f) => /labels\/.*\.png$/.test(f));
    expect(labelFiles.length).toBeGreaterThan(6); // 6 kept and the filtered ones
    // Every file but the README, which names its folder.
    for (const f of files(outs[0]).filter((f) => f !== 'README.md' && fs.statSync(path.join(outs[0], f)).isFile()))
      expect(fs.readFileSync(path.join(outs[1], f)), f).toEqual(fs.readFileSync(path.join(outs[0], f)));
  });
});
