/**
 * The engine's whole flow on a real project file and the tiny bundle: samples → labels → train →
 * reopen → generate. Labels are a rule on the image (bright red = class 1), so there is something real
 * to learn from the generator's features.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundleDir } from '../../../node/bundle/bundle';
import { Project } from '../../project';
import { openLocalCompute } from '../../../compute';
import type { Compute } from '../../../shared/compute-api';
import { projectModel } from '../../project/model';
import { interpreterInUse } from '../../project/interpreter-choice';
import { decodeLabelPng } from '../../../node/io/png';
import { generateForProject } from '../generate-project';
import { trainProject } from '../train-project';
import { makeTinyProject, TINY_BUNDLE } from './tiny-project';

let tmp: string;
const compute: Compute = openLocalCompute();
let file: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-flow-'));
  file = path.join(tmp, 'flow.dgs');
  await makeTinyProject(file, compute);
});
afterAll(async () => {
  await compute.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('train, reopen, generate', () => {
  it('trains an interpreter with a cross-validated report, and it survives reopening the project', async () => {
    const project = Project.open(file);
    const { id, trained } = await trainProject(project, compute, {
      provider: 'cpu',
      options: { members: 2, cvFolds: 3, maxSteps: 300, cvMaxSteps: 150 },
    });
    expect(trained.metrics.folds).toBe(3);
    expect(trained.metrics.miou).toBeGreaterThan(0.5);
    expect(trained.metrics.perClass).toHaveLength(2);
    project.dispose();

    const reopened = Project.open(file, { readonly: true });
    const again = interpreterInUse(reopened, readBundleDir(TINY_BUNDLE).sha256)!;
    expect(again.id).toBe(id);
    expect(Buffer.from(again.trained().weights).equals(Buffer.from(trained.weights))).toBe(true);
    expect(again.trained().metrics).toEqual(trained.metrics);
    reopened.dispose();
  });

  it('generates a labeled dataset with the stored interpreter and records the run', async () => {
    const project = Project.open(file);
    const out = path.join(tmp, 'dataset');
    const summary = await generateForProject(project, compute, {
      provider: 'cpu',
      outDir: out,
      count: 18,
      filter: 0.1,
      formats: ['coco'],
      seed: 100,
      batch: 4,
    });
    // 19 generated, ⌊0.1·19⌋ = 1 dropped, 18 kept (docs/dataset-format.md "Counts").
    expect(summary).toMatchObject({ status: 'finished', generated: 19, kept: 18, filtered: 1 });
    const manifest = fs
      .readFileSync(path.join(out, 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(manifest.map((m) => m.seed)).toEqual(Array.from({ length: 19 }, (_, k) => 100 + k));
    expect(manifest.filter((m) => m.status === 'filtered')).toHaveLength(1);
    // The filtered sample is the most uncertain one.
    const worst = manifest.reduce((a, b) => (b.score > a.score ? b : a));
    expect(worst.status).toBe('filtered');
    // The dataset's labels (labeled in their own thread, overlapping generation) are the labels the
    // interpreter gives those seeds in this thread.
    const kept = manifest.filter((m) => m.status === 'kept').slice(0, 3);
    const { ref, manifest: bundleManifest } = projectModel(project, 'cpu');
    const interp = interpreterInUse(project, ref.sha256)!;
    const direct = await compute.label(ref, interp.ref, {
      input: { seeds: kept.map((m) => m.seed), psi: bundleManifest.defaultPsi },
      want: { labels: true, uncertainty: false, images: false },
    });
    kept.forEach((m, i) => {
      const png = decodeLabelPng(fs.readFileSync(path.join(out, 'labels', `${m.name}.png`)), m.name);
      expect(Buffer.from(png.labels).equals(Buffer.from(direct.labels[i]))).toBe(true);
    });
    const runs = project.listGenerationRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'done', outDir: out });
    project.dispose();
  });

  it('keeps one record per folder: a cancelled run, resumed, becomes that record finished', async () => {
    const project = Project.open(file);
    const out = path.join(tmp, 'resumed');
    const opts = { provider: 'cpu', outDir: out, count: 24, filter: 0, formats: [], seed: 7, batch: 4 };
    const stop = new AbortController();
    const first = await generateForProject(project, compute, {
      ...opts,
      signal: stop.signal,
      onProgress: (p) => p.done >= 8 && stop.abort(),
    });
    expect(first.status).toBe('cancelled');
    const cancelled = project.listGenerationRuns().filter((r) => r.outDir === out);
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({ status: 'cancelled', progress: { done: first.done, total: 24 } });

    const second = await generateForProject(project, compute, { ...opts, resume: true });
    expect(second).toMatchObject({ status: 'finished', done: 24, kept: 24 });
    const after = project.listGenerationRuns().filter((r) => r.outDir === out);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: cancelled[0].id,
      status: 'done',
      progress: { done: 24, total: 24, resumedFrom: first.done },
      result: { status: 'finished', kept: 24 },
    });
    // Resuming a finished folder changes nothing but the record's revision.
    await generateForProject(project, compute, { ...opts, resume: true });
    expect(project.listGenerationRuns().filter((r) => r.outDir === out)).toHaveLength(1);
    project.dispose();
  });
});
