/**
 * The JSON a project stores beside interpreters and generation runs and in its history, read the one way (readEnvelope):
 * today's copy comes back as written, an older copy is read or refused with a sentence, a damaged or
 * newer copy is refused with a sentence naming the file, the row and what to do — in real project files.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shapesForEditing } from '../../../shared/annotation-shapes';
import { isUserError } from '../../../shared/errors';
import type { InterpreterConfig, InterpreterMetrics } from '../../../shared/interpreter-types';
import { mergeProjects, Project, readInterpreterRecord, readRunRecord } from '../index';
import { interpreterInUse } from '../interpreter-choice';
import { fingerprint, sampleRows, squareMap, tempDir, TINY, tinyModel, TRAIN_OPTIONS as OPTIONS } from './helpers';

/** As the trainer writes them (src/compute/interpreter/train/train-interpreter.ts), keys in its order. */
const CONFIG: InterpreterConfig = {
  format: 'dgs-interpreter',
  version: 1,
  members: 3,
  numClasses: 3,
  labelResolution: 16,
  features: [{ name: 'f4', channels: 4, resolution: 4 }],
  hidden: [128, 32],
  bnEps: 1e-5,
  options: OPTIONS,
  stepsPerMember: [120, 98, 131],
  stoppedEpoch: [5, 4, 6],
};
const METRICS: InterpreterMetrics = {
  miou: 0.61,
  perClass: [0.9, 0.55, null],
  folds: 3,
  cvMembers: 3,
  wallSeconds: 12.5,
  cvSeconds: 9.25,
  provider: 'cpu',
  classPixels: [400, 120, 0],
  cleanup: { minClassFraction: OPTIONS.minClassFraction, minClassPixels: 1, erased: [] },
  trainingThreads: 2,
};

function withProject(fill: (p: Project) => void): Project {
  const p = Project.create(path.join(tempDir(), 'p.dgs'), {
    classes: [{ name: 'background' }, { name: 'head' }, { name: 'hair' }],
  });
  p.embedModel(tinyModel());
  fill(p);
  return p;
}

function saveInterpreter(p: Project, config: unknown, metrics: unknown): void {
  p.saveInterpreter({ config, metrics, weights: new Uint8Array([1, 2, 3]), provider: 'cpu', wallSeconds: 1 });
}

/** The sentence `read` throws, checked to be a UserError. */
function sentence(read: () => unknown): string {
  try {
    read();
  } catch (e) {
    expect(isUserError(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('it was read');
}

describe('interpreter config and metrics', () => {
  it("today's copy reads back exactly, in the order the trainer wrote it", () => {
    const p = withProject((q) => saveInterpreter(q, CONFIG, METRICS));
    const trained = interpreterInUse(p, p.getModel()!.sha256)!.trained();
    expect(trained.config).toEqual(CONFIG);
    expect(JSON.stringify(trained.metrics)).toBe(JSON.stringify(METRICS)); // copied into run.json byte for byte
    expect([...trained.weights]).toEqual([1, 2, 3]);
    p.dispose();
  });

  it('an older copy reads: metrics without the fields added since, options from before cleanup by area and workers', () => {
    const { cvMembers: _m, cleanup: _c, trainingThreads: _t, ...olderMetrics } = METRICS;
    const { minClassFraction: _f, workers: _w, ...olderOptions } = OPTIONS;
    const olderConfig = { ...CONFIG, options: { ...olderOptions, minClassPixels: 30 } };
    const p = withProject((q) => saveInterpreter(q, olderConfig, olderMetrics));
    const { config, metrics } = readInterpreterRecord(p.path, p.listInterpreters()[0]);
    expect([config, metrics]).toEqual([olderConfig, olderMetrics]);
    p.dispose();
  });

  it('a damaged or newer copy is a sentence naming the file, the interpreter and what to do, before any job starts', () => {
    const cases: [config: unknown, metrics: unknown, expected: RegExp][] = [
      [
        { ...CONFIG, hidden: 'wide' },
        METRICS,
        /^The config of interpreter \w{8} in .+p\.dgs is damaged \(hidden: .+\); train/,
      ],
      [{ ...CONFIG, stepsPerMember: [1] }, METRICS, /is damaged \(stepsPerMember: .+ one entry per member\)/],
      [CONFIG, { ...METRICS, perClass: ['high'] }, /^The metrics record of interpreter \w{8} .+ \(perClass\.0: /],
      [CONFIG, null, /^The metrics record .+ is damaged/],
      [{ ...CONFIG, version: 2 }, METRICS, /^The config .+ was written by a newer DatasetGAN Studio \(version 2;/],
      [
        CONFIG,
        { ...METRICS, version: 2 },
        /^The metrics record .+ newer DatasetGAN Studio .+; update DatasetGAN Studio/,
      ],
    ];
    for (const [config, metrics, expected] of cases) {
      const p = withProject((q) => saveInterpreter(q, config, metrics));
      expect(sentence(() => interpreterInUse(p, p.getModel()!.sha256))).toMatch(expected);
      expect(sentence(() => readInterpreterRecord(p.path, p.listInterpreters()[0]))).toMatch(
        /; train the interpreter again or restore a backup copy\.$|; update DatasetGAN Studio to read it\.$/,
      );
      p.dispose();
    }
  });
});

describe('generation run config, progress and result', () => {
  /** As generate-project.ts records a run: the options and ψ, {done, total}, the summary or the error. */
  const config = { outDir: '/data/out', count: 10, filter: 0.1, formats: ['coco'], seed: 3, resume: false, psi: 0.7 };
  const summary = {
    outDir: '/data/out',
    status: 'finished',
    generated: 12,
    done: 12,
    kept: 10,
    filtered: 2,
    formats: ['coco'],
  };

  function run(p: Project, update?: { progress?: unknown; result?: unknown }, cfg: unknown = config) {
    const { id } = p.addGenerationRun({ config: cfg, outDir: '/data/out' });
    if (update) p.updateGenerationRun(id, { status: 'done', ...update });
    return p.getGenerationRun(id)!;
  }

  it("today's copy reads back as written; a queued run has no progress or result yet", () => {
    const p = withProject(() => undefined);
    const done = readRunRecord(p.path, run(p, { progress: { done: 12, total: 12 }, result: summary }));
    expect(done).toEqual({ config, progress: { done: 12, total: 12 }, result: summary });
    expect(readRunRecord(p.path, run(p, { result: { error: 'The disk is full.' } })).result).toEqual({
      error: 'The disk is full.',
    });
    expect(readRunRecord(p.path, run(p))).toEqual({ config, progress: null, result: null });
    p.dispose();
  });

  it('a damaged or newer copy is a sentence naming the file, the run and what to do', () => {
    const p = withProject(() => undefined);
    const cases: [ReturnType<typeof run>, RegExp][] = [
      [run(p, { progress: { done: 'most' } }), /^The progress of generation run \w{8} in .+ is damaged \(done: /],
      [run(p, { result: { kept: 90 } }), /^The result of generation run \w{8} .+ is damaged/],
      [run(p, undefined, { filter: 0.1 }), /^The config of generation run \w{8} .+ is damaged \(count: /],
      [run(p, undefined, { ...config, version: 2 }), /^The config .+ was written by a newer DatasetGAN Studio/],
    ];
    for (const [r, expected] of cases) {
      const message = sentence(() => readRunRecord(p.path, r));
      expect(message).toMatch(expected);
      expect(message).toMatch(/; restore a backup copy of the project, or start the run again\.$|; update Dat/);
    }
    p.dispose();
  });
});

describe("a format-1 project's stored JSON (fixtures/v1.dgs, written before these envelopes were checked)", () => {
  it('gives sentences, not crashes, where it is not in the form this build reads', () => {
    const v1 = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/v1.dgs');
    const file = path.join(tempDir(), 'v1.dgs');
    fs.copyFileSync(v1, file);
    const p = Project.open(file, { readonly: true });
    try {
      expect(sentence(() => readInterpreterRecord(p.path, p.listInterpreters()[0]))).toMatch(
        /^The config of interpreter \w{8} in .+ is damaged \(format: .+\); train the interpreter again/,
      );
      expect(sentence(() => readRunRecord(p.path, p.listGenerationRuns()[0]))).toMatch(
        /^The result of generation run \w{8} in .+ is damaged/,
      );
      const annotated = p.listAnnotations()[0];
      const place = { what: 'The shape list', fix: 'redraw the polygons' };
      expect(shapesForEditing(p.getAnnotation(annotated.sampleId)!.shapes, place)).toEqual({
        envelope: null,
        dropped: 'The shape list is damaged (not a "dgs-shapes" list); redraw the polygons.',
      });
    } finally {
      p.dispose();
    }
  });
});

describe("the history's parent lists and field records", () => {
  /** Two copies of one project, theirs with an annotation and a renamed class, and `damage` done to theirs' history. */
  function copies(damage: string): { mine: string; theirs: string } {
    const dir = tempDir();
    const mine = path.join(dir, 'mine.dgs');
    const base = Project.create(mine, { classes: [{ name: 'background' }, { name: 'head' }], author: 'lead' });
    base.embedModel(tinyModel());
    base.addSamples(sampleRows([1, 2]));
    base.dispose();
    const theirs = path.join(dir, 'theirs.dgs');
    fs.copyFileSync(mine, theirs);
    const p = Project.open(theirs, { author: 'zoe' });
    const [s] = p.listSamples();
    p.saveAnnotation(s.id, { width: TINY.resolution, height: TINY.resolution, labelMap: squareMap(1), shapes: [] });
    p.updateClass(p.listClasses()[1].id, { name: 'face' });
    p.dispose();
    const db = new Database(theirs);
    db.exec(damage);
    db.close();
    return { mine, theirs };
  }

  it("today's history merges; a damaged or newer one is refused with a sentence naming theirs, writing nothing", () => {
    const ok = copies('SELECT 1');
    const merged = path.join(path.dirname(ok.mine), 'merged.dgs');
    expect(mergeProjects(ok.mine, ok.theirs, merged).annotations.fromTheirs).toBe(1);

    const cases: [damage: string, expected: RegExp][] = [
      [
        `UPDATE history SET parents_json = '{"first": true}' WHERE kind = 'annotation'`,
        /^The parent list of version \w{8} in the history of .+theirs\.dgs is damaged \(expected array, received object\); restore the project from a backup copy/,
      ],
      [
        `UPDATE history SET fields_json = '"face"' WHERE kind = 'label_class'`,
        /^The field record of version \w{8} .+theirs\.dgs is damaged \(expected record, received string\)/,
      ],
      [
        `UPDATE history SET fields_json = json_set(fields_json, '$.version', 2) WHERE kind = 'label_class'`,
        /^The field record of version \w{8} .+ was written by a newer DatasetGAN Studio \(version 2;/,
      ],
    ];
    for (const [damage, expected] of cases) {
      const { mine, theirs } = copies(damage);
      const before = fingerprint(mine);
      const out = path.join(path.dirname(mine), 'out.dgs');
      expect(sentence(() => mergeProjects(mine, theirs, out))).toMatch(expected);
      expect(fs.existsSync(out)).toBe(false);
      expect(fingerprint(mine)).toEqual(before);
    }
  });
});
