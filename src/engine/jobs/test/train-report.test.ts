/**
 * The ensemble first, its report after (issue 22): trainProject stores the trained ensemble — usable,
 * readable, its report pending — before compute cross-validates, then stores the report with it; a
 * report that is cancelled leaves the ensemble stored and says so; a report whose training store is gone
 * (a restarted compute) trains its folds from the samples. On a real project file and the tiny bundle.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalCompute } from '../../../compute';
import type { Compute } from '../../../shared/compute-api';
import { withReport, type InterpreterMetrics } from '../../../shared/interpreter-types';
import { mergeProjects, Project, readInterpreterRecord } from '../../project';
import { interpreterInUse } from '../../project/interpreter-choice';
import { projectModel } from '../../project/model';
import { numClassesOf, trainingSamples, trainProject } from '../train-project';
import { makeTinyProject } from './tiny-project';

let tmp: string;
let file: string;
const compute: Compute = openLocalCompute();
const options = { members: 2, cvFolds: 3, maxSteps: 120, cvMaxSteps: 80, threads: 1 };

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-train-report-'));
  file = path.join(tmp, 'report.dgs');
  await makeTinyProject(file, compute);
});
afterAll(async () => {
  await compute.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the ensemble is stored before its report', () => {
  it('stores a usable ensemble with its report pending, then the report with it', async () => {
    const project = Project.open(file);
    try {
      const seen: { metrics: InterpreterMetrics; revision: number }[] = [];
      const { id, trained } = await trainProject(project, compute, {
        provider: 'cpu',
        options,
        onStored: () => {
          // What anyone reading the file sees now: the ensemble, its report pending.
          const [it] = project.listInterpreters();
          const { metrics } = readInterpreterRecord(project.path, it);
          seen.push({ metrics, revision: it.revision });
        },
      });
      expect(seen).toHaveLength(1);
      const [stored] = seen;
      expect(stored.metrics.report).toBe('pending');
      expect(stored.metrics.miou).toBeNull();
      expect(stored.metrics.folds).toBe(3);

      const [it] = project.listInterpreters();
      expect(it.id).toBe(id);
      expect(it.revision).toBe(stored.revision + 1);
      const { metrics } = readInterpreterRecord(project.path, it);
      expect(metrics.report).toBeUndefined();
      expect(metrics).toEqual(trained.metrics);
      expect(metrics.miou).toBeGreaterThan(0.5);
      expect(metrics.pixelAccuracy).toBeGreaterThan(0.5);
      expect(metrics.wallSeconds).toBeCloseTo(stored.metrics.wallSeconds + metrics.cvSeconds, 6);
      expect(it.wallSeconds).toBeCloseTo(metrics.wallSeconds, 6);

      // The stored ensemble labels a sample.
      const { ref } = projectModel(project, 'cpu');
      const latest = interpreterInUse(project, ref.sha256)!;
      const sample = project.listSamples()[0];
      const out = await compute.label(ref, latest.ref, {
        input: { items: [{ w: project.getLatents(sample.id).w, psi: sample.psi }] },
        want: { labels: true },
      });
      expect(out.labels[0]).toHaveLength(project.getAnnotation(sample.id)!.labelMap.length);
    } finally {
      project.dispose();
    }
  });

  it('keeps the ensemble when its report is cancelled, and says the report will not come', async () => {
    const project = Project.open(file);
    try {
      const abort = new AbortController();
      let storedId = '';
      await expect(
        trainProject(project, compute, {
          provider: 'cpu',
          options,
          signal: abort.signal,
          onStored: ({ id }) => (storedId = id),
          onProgress: (e) => e.phase === 'cv' && abort.abort(),
        }),
      ).rejects.toThrow();
      const it = project.listInterpreters().find((x) => x.id === storedId)!;
      expect(it).toBeDefined();
      const { metrics } = readInterpreterRecord(project.path, it);
      expect(metrics.report).toBe('stopped');
      expect(metrics.miou).toBeNull();
    } finally {
      project.dispose();
    }
  });

  it('merges a copy whose report arrived over one whose report did not', () => {
    const theirs = path.join(tmp, 'theirs.dgs');
    fs.copyFileSync(file, theirs);
    const copy = Project.open(theirs);
    const stopped = copy
      .listInterpreters()
      .find((it) => readInterpreterRecord(theirs, it).metrics.report === 'stopped')!;
    const { metrics } = readInterpreterRecord(theirs, stopped);
    const arrived = withReport(metrics, {
      miou: 0.5,
      perClass: [0.9, 0.1],
      folds: 3,
      cvMembers: 3,
      cvSeconds: 1,
      pixelAccuracy: 0.9,
    });
    expect(copy.updateInterpreterMetrics(stopped.id, arrived)).toBe(true);
    copy.dispose();
    const out = path.join(tmp, 'merged.dgs');
    mergeProjects(file, theirs, out);
    const merged = Project.open(out, { readonly: true });
    try {
      const it = merged.listInterpreters().find((x) => x.id === stopped.id)!;
      expect(readInterpreterRecord(out, it).metrics).toEqual(arrived);
      expect(it.revision).toBe(stopped.revision + 1);
    } finally {
      merged.dispose();
    }
  });

  it('cross-validates from the samples when no training waits for its report', async () => {
    const project = Project.open(file, { readonly: true });
    try {
      const { ref, manifest } = projectModel(project, 'cpu');
      const phases = new Set<string>();
      const report = await compute.crossValidate(
        ref,
        {
          samples: trainingSamples(project, manifest.resolution),
          labelResolution: manifest.resolution,
          numClasses: numClassesOf(project),
          options,
          interpreter: 'not-kept',
        },
        { onProgress: (e) => phases.add(e.phase) },
      );
      expect([...phases]).toEqual(['load', 'cv']);
      expect(report.folds).toBe(3);
      expect(report.miou).toBeGreaterThan(0.5);
    } finally {
      project.dispose();
    }
  });
});
