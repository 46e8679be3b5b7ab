/**
 * The compute process as the packaged app runs it: the bundle electron-vite builds (out/main/compute.js)
 * with its training worker beside it (out/main/train-worker.js), not the sources through tsx. Started
 * here as a Node child process (the same script runs as Electron's utility process); the interpreter
 * must train on worker threads from the built files, and generation must label and write on the built
 * labeling and writer threads with the same bytes as the sources in this process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalCompute } from '../src/compute';
import { computeOver } from '../src/shared/compute-api';
import { childProcessLauncher } from '../src/engine/compute-client/child-process';
import { ComputeSupervisor } from '../src/engine/compute-client/supervisor';
import { trainProject } from '../src/engine/jobs/train-project';
import { generateForProject } from '../src/engine/jobs/generate-project';
import { treeDifferences } from '../src/node/dataset-writer/test/helpers';
import { makeTinyProject } from '../src/engine/jobs/test/tiny-project';
import { Project } from '../src/engine/project';
import { buildApp } from './helpers/build';

describe('the built compute bundle', () => {
  let tmp: string;
  let file: string;
  beforeAll(async () => {
    buildApp();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-built-compute-'));
    file = path.join(tmp, 'p.dgs');
    const local = openLocalCompute();
    await makeTinyProject(file, local);
    await local.dispose();
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('trains on worker threads from out/main/train-worker.js and generates on the built labeling and writer threads', async () => {
    const supervisor = new ComputeSupervisor(childProcessLauncher({ script: path.resolve('out/main/compute.js') }));
    const compute = computeOver(supervisor.core);
    const project = Project.open(file);
    try {
      const { trained } = await trainProject(project, compute, {
        provider: 'cpu',
        options: { members: 2, workers: 2, cvFolds: 0, maxSteps: 100 },
      });
      expect(trained.metrics.trainingThreads).toBe(2);
      expect(supervisor.starts).toBe(1);
      // Generation in the built process (label-worker.js, write-worker.js) against the sources here.
      const opts = { provider: 'cpu', count: 6, filter: 0.2, formats: ['coco' as const], seed: 7, batch: 3 };
      const built = await generateForProject(project, compute, { ...opts, outDir: path.join(tmp, 'built') });
      expect(built).toMatchObject({ status: 'finished', kept: 6 });
      const local = openLocalCompute();
      try {
        await generateForProject(project, local, { ...opts, outDir: path.join(tmp, 'sources') });
      } finally {
        await local.dispose();
      }
      const differences = treeDifferences(path.join(tmp, 'built'), path.join(tmp, 'sources'));
      expect(differences).toEqual([]);
    } finally {
      project.dispose();
      await compute.dispose();
    }
  });
});
