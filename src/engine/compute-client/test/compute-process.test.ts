/**
 * The compute process as the app and `dgs serve` run it: a real child process (compute-process.ts)
 * behind the supervisor. Jobs run there with typed arrays crossing by structured clone, progress and
 * cancel work across the boundary, and killing the process mid-training fails that job with a sentence,
 * starts a new process and leaves the project file intact.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeProcessScript } from '../../../compute/compute-process-path';
import { openLocalCompute } from '../../../compute';
import { computeOver } from '../../../shared/compute-api';
import { addSamples } from '../../jobs/sample';
import { trainProject } from '../../jobs/train-project';
import { makeTinyProject } from '../../jobs/test/tiny-project';
import { Project } from '../../project';
import { childProcessLauncher } from '../child-process';
import { ComputeSupervisor, type ComputeCrash } from '../supervisor';

let tmp: string;
let file: string;
const supervisor = new ComputeSupervisor(childProcessLauncher(computeProcessScript()));
const compute = computeOver(supervisor.core);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-compute-proc-'));
  file = path.join(tmp, 'p.dgs');
  const local = openLocalCompute();
  await makeTinyProject(file, local);
  await local.dispose();
});
afterAll(async () => {
  await compute.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Options that keep training busy for a while: no early stop in sight, no CV. */
const LONG = { members: 2, cvFolds: 0, maxEpochs: 100, earlyStopFromEpoch: 99, maxSteps: 200_000, workers: 1 } as const;

describe('a compute process', () => {
  it('runs jobs in another process and sends typed arrays back', async () => {
    const project = Project.open(file);
    try {
      const seen: number[] = [];
      const r = await addSamples(project, compute, {
        count: 3,
        seed: 100,
        provider: 'cpu',
        outDir: path.join(tmp, 'imgs'),
        onProgress: (p) => seen.push(p.done),
      });
      expect(r.added).toHaveLength(3);
      expect(seen.at(-1)).toBe(3);
      expect(project.getLatents(r.added[0].id).w).toBeInstanceOf(Float32Array);
      expect(fs.readdirSync(path.join(tmp, 'imgs'))).toHaveLength(3);
      expect(supervisor.pid).not.toBe(process.pid);
    } finally {
      project.dispose();
    }
  });

  it('cancels a training job when its signal fires', async () => {
    const project = Project.open(file);
    try {
      const abort = new AbortController();
      const job = trainProject(project, compute, {
        provider: 'cpu',
        options: LONG,
        signal: abort.signal,
        onProgress: () => abort.abort(),
      });
      await expect(job).rejects.toThrow(/cancel|abort/i);
      expect(project.listInterpreters()).toHaveLength(0);
      expect(supervisor.starts).toBe(1);
    } finally {
      project.dispose();
    }
  });

  it('survives being killed mid-training: the job fails with a sentence, a new process starts, the project is intact', async () => {
    const project = Project.open(file);
    const before = { samples: project.listSamples().length, annotations: project.listAnnotations().length };
    const crashes: ComputeCrash[] = [];
    const stop = supervisor.onDidCrash((c) => crashes.push(c));
    try {
      const killedPid = supervisor.pid!;
      let killed = false;
      const job = trainProject(project, compute, {
        provider: 'cpu',
        options: LONG,
        onProgress: () => {
          if (!killed) {
            killed = true;
            process.kill(killedPid, 'SIGKILL');
          }
        },
      });
      await expect(job).rejects.toThrow(
        /The compute process stopped unexpectedly \(signal SIGKILL\) while training; a new one has started/,
      );
      expect(crashes).toHaveLength(1);
      expect(crashes[0].running).toContain('train');
      expect(supervisor.starts).toBe(2);
      expect(supervisor.pid).not.toBe(killedPid);
      expect(project.integrityCheck()).toEqual(['ok']);
      expect({ samples: project.listSamples().length, annotations: project.listAnnotations().length }).toEqual(before);
      expect(project.listInterpreters()).toHaveLength(0);
      // The new process gets the model again on first use and trains to the end.
      const { trained } = await trainProject(project, compute, {
        provider: 'cpu',
        options: { members: 2, cvFolds: 0, maxSteps: 50 },
      });
      expect(trained.config.members).toBe(2);
      expect(project.listInterpreters()).toHaveLength(1);
    } finally {
      stop.dispose();
      project.dispose();
    }
  });
});
