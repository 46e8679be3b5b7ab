/**
 * The compute core's own lifetimes on the tiny bundle: the interpreter it has just trained stays loaded
 * under the id its owner stores it with, and a labeling thread that cannot open says why and ends by
 * itself (a thread inside onnxruntime is never terminated).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeOver } from '../../shared/compute-api';
import { UserError } from '../../shared/errors';
import { Project } from '../../engine/project';
import { trainProject } from '../../engine/jobs/train-project';
import { makeTinyProject } from '../../engine/jobs/test/tiny-project';
import { LocalComputeCore } from '../compute-core';
import { openLabelerThread } from '../interpreter/label/thread';
import { defaultWorkerScripts } from '../worker-scripts';

let tmp: string;
let file: string;
const core = new LocalComputeCore();
const compute = computeOver(core);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-core-'));
  file = path.join(tmp, 'p.dgs');
  await makeTinyProject(file, compute);
});
afterAll(async () => {
  await compute.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the compute core', () => {
  it('keeps the interpreter it has just trained under the id the project stores it with', async () => {
    const project = Project.open(file);
    try {
      const { id, trained } = await trainProject(project, compute, {
        provider: 'cpu',
        options: { members: 2, cvFolds: 0, maxSteps: 20 },
      });
      expect(project.getInterpreter(id)).not.toBeNull();
      expect(await core.hasInterpreter({ id })).toBe(true);
      // And a labeling thread opened for it says which provider it runs on; a wrong generator is refused.
      const features = trained.config.features;
      const spec = {
        trained,
        features,
        labelResolution: trained.config.labelResolution,
        executionProviders: ['cpu'],
        threads: 1,
      };
      const labeler = await openLabelerThread(spec, defaultWorkerScripts().label);
      expect(labeler.provider).toBe('cpu');
      await labeler.dispose();
      const wrong = { ...spec, features: features.map((f) => ({ ...f, channels: f.channels + 1 })) };
      const refused = await openLabelerThread(wrong, defaultWorkerScripts().label).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(UserError);
      expect((refused as Error).message).toMatch(/another generator's feature maps; retrain it/);
    } finally {
      project.dispose();
    }
  });
});
