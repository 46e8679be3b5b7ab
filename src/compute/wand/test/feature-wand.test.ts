/**
 * The feature wand on the demo's real generator and annotations, through the compute service the
 * studio's handler calls: a click inside a part selects pixels of that part, a wider tolerance selects
 * a superset, a negative click takes pixels away, a sample's first click prepares its features and
 * later ones reuse them, and the per-sample cache stays within its byte budget (least recent out).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeOver, type Compute, type ModelRef } from '../../../shared/compute-api';
import { UserError } from '../../../shared/errors';
import type { WandClick } from '../../../shared/wand';
import { buildDemoProject } from '../../../engine/jobs/demo';
import { Project } from '../../../engine/project';
import { projectModel } from '../../../engine/project/model';
import { readBundleDir } from '../../../node/bundle/bundle';
import { assetsDir } from '../../../node/bundle/assets';
import { LocalComputeCore } from '../../compute-core';
import { Generator } from '../../generator/generator';
import { DEFAULT_EMBEDDING } from '../feature-embedding';
import { FeatureWand } from '../feature-wand';

interface Truth {
  id: string;
  latent: { w: Float32Array; psi: number };
  labels: Uint8Array;
}

let tmp: string;
let compute: Compute;
let model: ModelRef;
let R: number;
let samples: Truth[];
let classIndex: Map<string, number>;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-wand-'));
  compute = computeOver(new LocalComputeCore());
  const file = path.join(tmp, 'demo.dgs');
  await buildDemoProject(file, compute);
  const project = Project.open(file);
  try {
    const { ref, manifest } = projectModel(project, 'cpu');
    model = ref;
    R = manifest.resolution;
    classIndex = new Map(project.listClasses().map((c) => [c.name, c.index]));
    samples = project
      .listAnnotations()
      .slice(0, 3)
      .map((a) => ({
        id: a.sampleId,
        latent: { w: project.getLatents(a.sampleId).w, psi: project.getSample(a.sampleId)!.psi },
        labels: project.getAnnotation(a.sampleId)!.labelMap,
      }));
  } finally {
    project.dispose();
  }
}, 120_000);
afterAll(async () => {
  await compute.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A pixel of a 0/1 region whose 5×5 neighbourhood lies inside it (the first in raster order). */
function inside5x5(region: Uint8Array, R: number): WandClick {
  for (let y = 2; y < R - 2; y++)
    for (let x = 2; x < R - 2; x++) {
      let all = true;
      for (let dy = -2; dy <= 2 && all; dy++)
        for (let dx = -2; dx <= 2 && all; dx++) all = !!region[(y + dy) * R + x + dx];
      if (all) return { x, y, positive: true };
    }
  throw new Error('the region has no 5×5 interior');
}

const count = (m: Uint8Array) => m.reduce((a, b) => a + b, 0);

function select(sample: Truth, clicks: WandClick[], tolerance: number, classId: number) {
  return compute.wand(model, null, { sampleKey: sample.id, latent: sample.latent, clicks, tolerance, classId });
}

describe('the feature wand', () => {
  it('selects the clicked part, wider with the tolerance, and a negative click takes pixels away', async () => {
    const sample = samples[0];
    const hair = classIndex.get('hair')!;
    const truth = Uint8Array.from(sample.labels, (v) => (v === hair ? 1 : 0));
    const click = inside5x5(truth, R);

    const first = await select(sample, [click], 0.5, hair);
    expect(first.prepared).toBe(true);
    expect(first.guided).toBe(false);
    expect(first.mask.length).toBe(R * R);
    expect(first.mask[click.y * R + click.x]).toBe(1);
    // Most of what it selects is hair, far more than hair's share of the image.
    let inside = 0;
    for (let p = 0; p < R * R; p++) inside += first.mask[p] & truth[p];
    expect(inside / count(first.mask)).toBeGreaterThan(Math.min(0.9, (2 * count(truth)) / (R * R)));

    const masks = [];
    for (const t of [0.2, 0.5, 0.8]) {
      const m = await select(sample, [click], t, hair);
      expect(m.prepared).toBe(false);
      masks.push(m.mask);
    }
    expect(Array.from(masks[1])).toEqual(Array.from(first.mask));
    for (let i = 1; i < masks.length; i++)
      for (let p = 0; p < R * R; p++) if (masks[i - 1][p]) expect(masks[i][p]).toBe(1);
    expect(count(masks[2])).toBeGreaterThan(count(masks[0]));

    // A negative click on a selected pixel far from the positive one.
    const wide = masks[2];
    let far = -1;
    let farDist = -1;
    for (let p = 0; p < R * R; p++) {
      const d = Math.hypot((p % R) - click.x, Math.floor(p / R) - click.y);
      if (wide[p] && d > farDist) {
        far = p;
        farDist = d;
      }
    }
    const negative = { x: far % R, y: Math.floor(far / R), positive: false };
    const less = await select(sample, [click, negative], 0.8, hair);
    expect(less.mask[far]).toBe(0);
    expect(less.mask[click.y * R + click.x]).toBe(1);
    expect(count(less.mask)).toBeLessThan(count(wide));
  });

  it('is guided by the interpreter when one is given', async () => {
    const [held, ...rest] = samples;
    const trained = await compute.train(model, {
      samples: rest.map((s) => ({ w: s.latent.w, psi: s.latent.psi, labels: s.labels })),
      labelResolution: R,
      numClasses: Math.max(...classIndex.values()) + 1,
      options: { members: 2, cvFolds: 0, maxSteps: 60 },
      keepAs: 'wand-guide',
    });
    const guide = { id: 'wand-guide', trained: () => trained };
    const hair = classIndex.get('hair')!;
    const truth = Uint8Array.from(held.labels, (v) => (v === hair ? 1 : 0));
    const click = inside5x5(truth, R);
    const req = { sampleKey: held.id, latent: held.latent, clicks: [click], tolerance: 0.5, classId: hair };
    const guided = await compute.wand(model, guide, req);
    expect(guided.guided).toBe(true);
    expect(guided.prepared).toBe(true);
    expect(guided.mask[click.y * R + click.x]).toBe(1);
    // Two samples and a few steps make a weak interpreter, so only: what it selects is mostly hair.
    let inside = 0;
    for (let p = 0; p < R * R; p++) inside += guided.mask[p] & truth[p];
    expect(inside / count(guided.mask)).toBeGreaterThan(0.8);
  }, 120_000);

  it('refuses clicks outside the image and a selection without clicks, in one sentence', async () => {
    const sample = samples[0];
    const outside = await select(sample, [{ x: R, y: 0, positive: true }], 0.5, 1).catch((e: unknown) => e);
    expect(outside).toBeInstanceOf(UserError);
    expect((outside as Error).message).toMatch(/outside the \d+×\d+ image; click inside it/);
    const none = await select(sample, [], 0.5, 1).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(UserError);
    // Only negative clicks select nothing.
    const neg = await select(sample, [{ x: 3, y: 3, positive: false }], 0.5, 1);
    expect(count(neg.mask)).toBe(0);
  });

  it('keeps recent samples within its byte budget, least recently used out', async () => {
    const bundle = readBundleDir(path.join(assetsDir(), 'demo-model.dgsmodel'));
    const gen = await Generator.load(bundle, { provider: 'cpu' });
    const perSample = DEFAULT_EMBEDDING.dims * R * R;
    const wand = new FeatureWand({ cacheBytes: 2 * perSample });
    try {
      const ask = (s: Truth) =>
        wand.select(gen, null, {
          sampleKey: s.id,
          latent: s.latent,
          clicks: [{ x: R / 2, y: R / 2, positive: true }],
          tolerance: 0.5,
          classId: 1,
        });
      expect((await ask(samples[0])).prepared).toBe(true);
      expect(wand.cachedBytes).toBe(perSample);
      expect((await ask(samples[1])).prepared).toBe(true);
      expect((await ask(samples[0])).prepared).toBe(false); // samples[0] is now the most recent
      expect((await ask(samples[2])).prepared).toBe(true); // … so samples[1] goes
      expect(wand.cachedBytes).toBeLessThanOrEqual(2 * perSample);
      expect((await ask(samples[0])).prepared).toBe(false);
      expect((await ask(samples[1])).prepared).toBe(true);
      expect(wand.cachedBytes).toBeLessThanOrEqual(2 * perSample);
    } finally {
      await wand.dispose();
      await gen.dispose();
    }
  });
});
