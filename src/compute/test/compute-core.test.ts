/**
 * The compute core's own lifetimes on the tiny bundle: the interpreter it has just trained stays loaded
 * under the id its owner stores it with, a training makes its samples' maps with a generator session
 * closed once they are in the store and parks the project's generator meanwhile, and a labeling thread that cannot open says why and ends by
 * itself (a thread inside onnxruntime is never terminated).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spyOnSessionRelease } from './session-release';
import { computeOver } from '../../shared/compute-api';
import { UserError } from '../../shared/errors';
import { Project } from '../../engine/project';
import { trainProject } from '../../engine/jobs/train-project';
import { projectModel } from '../../engine/project/model';
import { interpreterInUse } from '../../engine/project/interpreter-choice';
import { makeTinyProject } from '../../engine/jobs/test/tiny-project';
import { LocalComputeCore } from '../compute-core';
import { Generator } from '../generator/generator';
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

  it("lets go of the labeler and the wand's prior kept for the interpreter a training replaces", async () => {
    const project = Project.open(file);
    const release = spyOnSessionRelease();
    const opts = { provider: 'cpu' as const, options: { members: 2, cvFolds: 0, maxSteps: 20 } };
    const { ref } = projectModel(project, 'cpu');
    /** Sessions this process closed during one training that starts with the project's generator open. */
    const closedByTraining = async () => {
      const [{ sampleId }] = project.listAnnotations();
      await compute.render(ref, [{ w: project.getLatents(sampleId).w, psi: 0.7 }]);
      release.mockClear();
      await trainProject(project, compute, opts);
      return release.mock.calls.length;
    };
    try {
      const bare = await closedByTraining();
      // Pre-label with the new interpreter (the labeler is kept for the next call), then train again.
      const out = await compute.label(ref, interpreterInUse(project, ref.sha256)!.ref, {
        input: { seeds: [5], psi: 0.7 },
        want: { labels: true },
      });
      expect(out.labels).toHaveLength(1);
      expect(await closedByTraining()).toBeGreaterThan(bare);
      // A wand selection guided by the new interpreter (its prior is kept), then train again.
      const [{ sampleId }] = project.listAnnotations();
      const guided = await compute.wand(ref, interpreterInUse(project, ref.sha256)!.ref, {
        sampleKey: sampleId,
        latent: { w: project.getLatents(sampleId).w, psi: 0.7 },
        clicks: [{ x: 4, y: 4, positive: true }],
        tolerance: 0.5,
        classId: 1,
      });
      expect(guided.guided).toBe(true);
      expect(await closedByTraining()).toBeGreaterThan(bare);
    } finally {
      release.mockRestore();
      project.dispose();
    }
  });

  it("makes the training's maps with a session of its own, closed once the samples are in the store", async () => {
    const project = Project.open(file);
    const forward = vi.spyOn(Generator.prototype, 'generateFromW');
    const dispose = vi.spyOn(Generator.prototype, 'dispose');
    const park = vi.spyOn(Generator.prototype, 'park');
    try {
      await trainProject(project, compute, { provider: 'cpu', options: { members: 2, cvFolds: 0, maxSteps: 20 } });
      const annotated = project.listAnnotations().length;
      // Every sample's maps came from one generator, and that generator was closed: the project's
      // generator, kept for pre-label and generation, ran no forward (its arena stays small).
      const makers = new Set(forward.mock.contexts);
      expect(forward).toHaveBeenCalledTimes(annotated);
      expect(makers.size).toBe(1);
      expect(dispose.mock.contexts).toContain([...makers][0]);
      // The project's generator was parked for the training (its sessions closed): another generator.
      expect(park).toHaveBeenCalledTimes(1);
      expect(park.mock.contexts[0]).not.toBe([...makers][0]);
      // The project's generator still works after the training.
      const { ref, manifest } = projectModel(project, 'cpu');
      const [{ sampleId }] = project.listAnnotations();
      const sample = project.getSample(sampleId)!;
      const [image] = await compute.render(ref, [{ w: project.getLatents(sampleId).w, psi: sample.psi }]);
      expect(image.length).toBe(manifest.resolution * manifest.resolution * 3);
    } finally {
      forward.mockRestore();
      dispose.mockRestore();
      park.mockRestore();
      project.dispose();
    }
  });
});
