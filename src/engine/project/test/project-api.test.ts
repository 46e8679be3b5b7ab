import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { latentFromSeed } from '../../../shared/rng';
import { decodeLabelMap } from '../../../shared/label-map-codec';
import { APPLICATION_ID, Project, SCHEMA_VERSION } from '../index';
import { sampleRows, squareMap, tempDir, TINY, tinyModel } from './helpers';

const R = TINY.resolution;

function newProject(
  classes = [{ name: 'background', color: '#000000' }, { name: 'head' }, { name: 'hair', hotkey: 'h' }],
): Project {
  const p = Project.create(path.join(tempDir(), 'p.dgs'), { name: 'Test', classes, author: 'ann' });
  p.embedModel(tinyModel());
  return p;
}

function rawAfterClose(p: Project): Database.Database {
  p.dispose();
  return new Database(p.path, { readonly: true });
}

describe('Project file basics', () => {
  it('creates a file with the documented identity and pragmas', () => {
    const p = newProject();
    expect(p.connectionSettings()).toEqual({
      journalMode: 'delete',
      synchronous: 2,
      foreignKeys: true,
      lockingMode: 'exclusive',
      applicationId: APPLICATION_ID,
      userVersion: SCHEMA_VERSION,
    });
    const info = p.info();
    expect(info.name).toBe('Test');
    expect(info.createdBy).toBe('ann');
    expect(info.schemaVersion).toBe(SCHEMA_VERSION);
    expect(info.projectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(info.model).toEqual({
      sha256: tinyModel().sha256,
      name: 'tiny test model',
      architecture: 'tiny',
      resolution: R,
    });
    expect(info.counts).toEqual({ samples: 0, annotations: 0, interpreters: 0, generationRuns: 0 });
    const raw = rawAfterClose(p);
    expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
    expect(fs.readdirSync(path.dirname(p.path))).toEqual(['p.dgs']); // no journal or temp file left
  });

  it('keeps the classes in the order given: the first is class 0 whatever its name', () => {
    const p = newProject();
    expect(p.listClasses().map((c) => [c.index, c.name, c.color, c.hotkey])).toEqual([
      [0, 'background', '#000000', null],
      [1, 'head', '#800000', null],
      [2, 'hair', '#008000', 'h'],
    ]);
    const q = Project.create(path.join(tempDir(), 'q.dgs'), {
      classes: [{ name: 'sky', color: '#123456' }, { name: 'ground' }],
    });
    expect(q.listClasses().map((c) => [c.index, c.name, c.color])).toEqual([
      [0, 'sky', '#123456'],
      [1, 'ground', '#800000'],
    ]);
    expect(q.info().name).toBe('q');
    q.dispose();
    const r = Project.create(path.join(tempDir(), 'r.dgs'), { classes: [] });
    expect(r.listClasses().map((c) => [c.index, c.name])).toEqual([[0, 'background']]);
    r.dispose();
    p.dispose();
  });

  it('refuses to create over an existing file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.dgs');
    fs.writeFileSync(file, 'precious');
    expect(() => Project.create(file, { classes: [] })).toThrow(/already exists; choose another name/);
    expect(fs.readFileSync(file, 'utf8')).toBe('precious');
    expect(fs.readdirSync(dir)).toEqual(['x.dgs']);
    expect(() => Project.create(path.join(dir, 'nope', 'y.dgs'), { classes: [] })).toThrow(
      /does not exist; create it first/,
    );
    // A failure while filling the new file leaves nothing behind, not even the temporary file.
    expect(() =>
      Project.create(path.join(dir, 'z.dgs'), { classes: [{ name: 'a' }, { name: 'b', color: 'blue' }] }),
    ).toThrow(/"blue" is not of the form #rrggbb/);
    expect(fs.readdirSync(dir)).toEqual(['x.dgs']);
  });
});

describe('label classes', () => {
  it('adds, updates and checks revisions, names and hotkeys', () => {
    const p = newProject();
    const eye = p.addClass({ name: 'eye', hotkey: 'e' });
    expect([eye.index, eye.position, eye.revision]).toEqual([3, 3, 1]);
    const moved = p.updateClass(eye.id, { color: '#ABCDEF', locked: true }, 1);
    expect([moved.color, moved.locked, moved.revision]).toEqual(['#abcdef', true, 2]);
    expect(() => p.updateClass(eye.id, { name: 'iris' }, 1)).toThrow(
      /changed elsewhere \(it is at revision 2, your edit started from 1\)/,
    );
    expect(() => p.addClass({ name: 'HAIR' })).toThrow(/already a class named "HAIR"/);
    expect(() => p.updateClass(eye.id, { hotkey: 'h' })).toThrow(/hotkey "h" already selects another class/);
    expect(() => p.addClass({ name: 'x', color: 'red' })).toThrow(/not of the form #rrggbb/);
    expect(p.updateClass(eye.id, { name: 'eye' }).revision).toBe(2); // no change, no new revision
    p.dispose();
  });

  it('deletes a class as a tombstone, clears its pixels and never reuses its index', () => {
    const p = newProject();
    const [s] = p.addSamples(sampleRows([5]));
    const map = squareMap(2);
    map[0] = 1;
    p.saveAnnotation(s.id, { width: R, height: R, labelMap: map, shapes: [] });
    const hair = p.listClasses().find((c) => c.name === 'hair')!;
    p.removeClass(hair.id);
    expect(p.listClasses().map((c) => c.name)).toEqual(['background', 'head']);
    const a = p.getAnnotation(s.id)!;
    expect(a.revision).toBe(2);
    expect(a.labelMap.filter((v) => v === 2).length).toBe(0);
    expect(a.labelMap[0]).toBe(1);
    expect(p.addClass({ name: 'hair', hotkey: 'h' }).index).toBe(3);
    expect(() => p.removeClass(p.listClasses()[0].id)).toThrow(/background class \(index 0\) cannot be deleted/);
    const raw = rawAfterClose(p);
    expect(raw.prepare('SELECT class_index, deleted FROM label_class WHERE id = ?').get(hair.id)).toEqual({
      class_index: 2,
      deleted: 1,
    });
    raw.close();
  });

  it('setClasses adds, updates, swaps names and hotkeys, deletes and orders in one go', () => {
    const p = newProject();
    const [bg, head, hair] = p.listClasses();
    const result = p.setClasses([
      { id: bg.id, name: 'background' },
      { id: hair.id, name: 'head', hotkey: '1' },
      { name: 'ear', hotkey: 'h' },
      { id: head.id, name: 'hair' },
    ]);
    expect(result.map((c) => [c.index, c.name, c.hotkey, c.position])).toEqual([
      [0, 'background', null, 0],
      [2, 'head', '1', 1],
      [3, 'ear', 'h', 2],
      [1, 'hair', null, 3],
    ]);
    expect(() => p.setClasses([{ id: bg.id, name: 'background' }, { name: 'a' }, { name: 'A' }])).toThrow(
      /"A" appears twice/,
    );
    expect(() => p.setClasses([{ name: 'only' }])).toThrow(/background class/);
    expect(p.setClasses([{ id: bg.id, name: 'background' }]).map((c) => c.name)).toEqual(['background']);
    expect(p.reorderClasses([bg.id]).length).toBe(1);
    expect(() => p.reorderClasses([])).toThrow(/every class exactly once/);
    p.dispose();
  });
});

describe('samples and annotations', () => {
  it('stores samples with exact latents and refuses bad rows', () => {
    const p = newProject();
    const added = p.addSamples(sampleRows([1, 2, 4_294_967_295], 0.5));
    expect(added.map((s) => [s.seed, s.psi, s.creator, s.revision, s.annotated, s.modelSha256])).toEqual(
      [1, 2, 4_294_967_295].map((seed) => [seed, 0.5, 'tester', 1, false, tinyModel().sha256]),
    );
    expect(p.listSamples().map((s) => s.id)).toEqual(added.map((s) => s.id));
    const { z, w } = p.getLatents(added[1].id);
    expect(z).toEqual(latentFromSeed(2, TINY.zDim));
    expect(w).toEqual(sampleRows([2])[0].w);
    expect(p.getSample(added[0].id)?.seed).toBe(1);
    expect(p.getSample('missing')).toBeNull();
    expect(() => p.getLatents('missing')).toThrow(/no sample with id missing/);
    const ws = new Float32Array(TINY.numWs * TINY.wDim).fill(0.5);
    // Without a creator of its own, a sample is the project's author's (the one who created it here).
    expect(p.addSamples([{ seed: 9, psi: 1, z: latentFromSeed(9, TINY.zDim), w: ws }])[0].creator).toBe('ann');
    expect(p.getLatents(p.listSamples()[3].id).w).toEqual(ws);
    const bad =
      (over: object): (() => void) =>
      () =>
        p.addSamples([{ ...sampleRows([77])[0], ...over }]);
    expect(bad({ seed: -1 })).toThrow(/not a whole number from 0 to 4294967295/);
    expect(bad({ psi: Number.NaN })).toThrow(/ψ must lie between/);
    expect(bad({ z: new Float32Array(3) })).toThrow(/needs z as 8 finite float32 values/);
    expect(bad({ w: new Float32Array(8).fill(Number.POSITIVE_INFINITY) })).toThrow(/needs w as 8 \(or 4×8\)/);
    expect(() => p.addSamples(sampleRows([1], 0.5))).toThrow(/seed 1 with ψ = 0.5 is already in the project/);
    expect(p.addSamples(sampleRows([1], 0.6)).length).toBe(1); // another ψ is another sample
    p.dispose();
  });

  it('saves, revises and deletes annotations with their label maps', () => {
    const p = newProject();
    const [s, t] = p.addSamples(sampleRows([1, 2]));
    const shapes = [
      {
        type: 'polygon',
        points: [
          [1, 2],
          [3, 4],
        ],
      },
    ];
    const a1 = p.saveAnnotation(s.id, { width: R, height: R, labelMap: squareMap(1), shapes, author: 'bo' }, 0);
    expect([a1.revision, a1.author, a1.shapes]).toEqual([1, 'bo', shapes]);
    expect(() => p.saveAnnotation(s.id, { width: R, height: R, labelMap: squareMap(2), shapes: [] }, 0)).toThrow(
      /changed elsewhere/,
    );
    const a2 = p.saveAnnotation(s.id, { width: R, height: R, labelMap: squareMap(2), shapes: [] }, 1);
    expect(a2.revision).toBe(2);
    expect(a2.createdAt).toBe(a1.createdAt);
    const got = p.getAnnotation(s.id)!;
    expect(got.labelMap).toEqual(squareMap(2));
    expect([got.width, got.height, got.shapes]).toEqual([R, R, []]);
    expect(p.getAnnotation(t.id)).toBeNull();
    expect(p.listSamples().map((x) => x.annotated)).toEqual([true, false]);
    expect(p.listAnnotations()).toEqual([
      { sampleId: s.id, revision: 2, baseRevision: 1, versionId: a2.versionId, author: 'ann', updatedAt: a2.updatedAt },
    ]);
    expect(() => p.saveAnnotation(t.id, { width: 8, height: 8, labelMap: new Uint8Array(64), shapes: [] })).toThrow(
      /8×8 but the model's images are 16×16/,
    );
    expect(() => p.saveAnnotation(t.id, { width: R, height: R, labelMap: new Uint8Array(5), shapes: [] })).toThrow(
      /needs 256 pixels but 5/,
    );
    expect(() => p.saveAnnotation(t.id, { width: R, height: R, labelMap: squareMap(7), shapes: [] })).toThrow(
      /class index 7, which is not a class/,
    );
    expect(() => p.saveAnnotation('nope', { width: R, height: R, labelMap: squareMap(1), shapes: [] })).toThrow(
      /no sample with id nope/,
    );
    p.deleteAnnotation(s.id);
    expect(p.getAnnotation(s.id)).toBeNull();
    expect(p.saveAnnotation(s.id, { width: R, height: R, labelMap: squareMap(1), shapes: null }).revision).toBe(4);
    p.deleteSample(s.id);
    expect(p.listSamples().map((x) => x.id)).toEqual([t.id]);
    expect(p.info().counts).toMatchObject({ samples: 1, annotations: 0 });
    const raw = rawAfterClose(p);
    const stored = raw.prepare('SELECT label_map, deleted, revision FROM annotation WHERE sample_id = ?').get(s.id) as {
      label_map: Buffer;
      deleted: number;
      revision: number;
    };
    expect([stored.deleted, stored.revision]).toEqual([1, 5]);
    expect(decodeLabelMap(stored.label_map).pixels).toEqual(squareMap(1));
    raw.close();
  });
});

describe('model, interpreters, runs, settings', () => {
  it('embeds one model, checks its identity and keeps it once samples exist', () => {
    const p = Project.create(path.join(tempDir(), 'm.dgs'), { classes: [] });
    expect(p.getModel()).toBeNull();
    expect(() => p.addSamples(sampleRows([1]))).toThrow(/has no model yet; add a model bundle/);
    const m = tinyModel();
    expect(() => p.embedModel({ ...m, sha256: '0'.repeat(64) })).toThrow(/do not match its sha256/);
    expect(() => p.embedModel({ ...m, manifestJson: '{}' })).toThrow(/not a valid model bundle manifest/);
    p.embedModel(tinyModel('first', 9));
    p.embedModel(m); // no samples yet: replacing is allowed
    const got = p.getModel()!;
    expect(got.sha256).toBe(m.sha256);
    expect(got.manifestJson).toBe(m.manifestJson);
    expect(got.mapping).toEqual(m.mapping);
    expect(got.synthesis).toEqual(m.synthesis);
    p.addSamples(sampleRows([1]));
    p.embedModel(m); // same model: nothing to do
    expect(() => p.embedModel(tinyModel('other', 3))).toThrow(
      /a project keeps one model, so start a new project for other/,
    );
    p.dispose();
  });

  it('saves interpreters, generation runs and settings', () => {
    const p = newProject();
    expect(p.latestInterpreter()).toBeNull();
    const weights = Uint8Array.from({ length: 5000 }, (_, i) => i & 255);
    const a = p.saveInterpreter({
      config: { members: 10 },
      weights,
      metrics: { miou: 0.4 },
      provider: 'cpu',
      wallSeconds: 3,
    });
    const b = p.saveInterpreter({ config: { members: 3 }, weights: weights.slice(0, 10), metrics: null });
    expect(p.listInterpreters().map((i) => [i.id, i.weightsBytes])).toEqual([
      [b.id, 10],
      [a.id, 5000],
    ]);
    const ia = p.getInterpreter(a.id)!;
    expect([ia.config, ia.metrics, ia.provider, ia.wallSeconds, ia.weights]).toEqual([
      { members: 10 },
      { miou: 0.4 },
      'cpu',
      3,
      weights,
    ]);
    expect(p.latestInterpreter()!.id).toBe(b.id);
    expect(() => p.saveInterpreter({ config: {}, weights: new Uint8Array(0), metrics: {} })).toThrow(/no weights/);
    const run = p.addGenerationRun({ config: { count: 10 }, outDir: '/data/out', interpreterId: a.id });
    expect(p.getGenerationRun(run.id)).toMatchObject({
      status: 'queued',
      progress: null,
      result: null,
      interpreterId: a.id,
      revision: 1,
    });
    p.updateGenerationRun(run.id, { status: 'running', progress: { done: 3, total: 10 } });
    const done = p.updateGenerationRun(run.id, { status: 'done', result: { kept: 9 } });
    expect([done.status, done.progress, done.result, done.revision]).toEqual([
      'done',
      { done: 3, total: 10 },
      { kept: 9 },
      3,
    ]);
    expect(() => p.updateGenerationRun(run.id, { status: 'exploded' as never })).toThrow(/not a generation run status/);
    expect(() => p.addGenerationRun({ config: {}, outDir: '/x', interpreterId: 'nope' })).toThrow(
      /no interpreter with id nope/,
    );
    p.deleteInterpreter(a.id);
    expect(p.getInterpreter(a.id)).toBeNull();
    expect(p.listGenerationRuns().map((r) => r.id)).toEqual([run.id]);
    expect(p.getSetting('ep')).toBeUndefined();
    p.setSetting('ep', { provider: 'cuda', device: 0 });
    p.setSetting('psi', 0.7);
    expect(p.getSetting('ep')).toEqual({ provider: 'cuda', device: 0 });
    expect(p.listSettings()).toEqual({ ep: { provider: 'cuda', device: 0 }, psi: 0.7 });
    p.deleteSetting('psi');
    expect(p.getSetting('psi')).toBeUndefined();
    expect(() => p.setSetting('bad', { f: BigInt(1) })).toThrow(/not plain JSON data/);
    expect(p.info().counts).toEqual({ samples: 0, annotations: 0, interpreters: 1, generationRuns: 1 });
    const raw = rawAfterClose(p);
    expect(raw.prepare('SELECT deleted, length(weights) AS n FROM interpreter WHERE id = ?').get(a.id)).toEqual({
      deleted: 1,
      n: 0,
    });
    raw.close();
  });
});

describe('interpreter weights checksum', () => {
  it('refuses damaged weights with a sentence when they are read, never handing them on', () => {
    const p = newProject();
    const weights = Uint8Array.from({ length: 4096 }, (_, i) => (i * 13) & 255);
    const { id } = p.saveInterpreter({ config: {}, weights, metrics: {} });
    const raw = rawAfterClose(p);
    raw.close();
    const rw = new Database(p.path);
    rw.prepare('UPDATE interpreter SET weights = ? WHERE id = ?').run(
      Buffer.from(weights.map((v, i) => (i === 100 ? v ^ 1 : v))),
      id,
    );
    rw.close();
    const q = Project.open(p.path);
    expect(q.listInterpreters().map((i) => i.id)).toEqual([id]); // the list needs no weights
    expect(() => q.getInterpreter(id)).toThrow(
      `The weights of interpreter ${id.slice(0, 8)} in ${p.path} are damaged (their checksum does not match); train the interpreter again or restore a backup copy.`,
    );
    expect(() => q.latestInterpreter()).toThrow(/are damaged \(their checksum does not match\)/);
    q.dispose();
  });
});

describe('saving a copy', () => {
  it('writes a compacted, openable copy while the project stays open, and never over a file', () => {
    const p = newProject();
    const [s] = p.addSamples(sampleRows([3]));
    p.saveAnnotation(s.id, { width: R, height: R, labelMap: squareMap(1), shapes: ['x'] });
    const dir = path.dirname(p.path);
    const copyPath = p.saveCopy(path.join(dir, 'copy.dgs'));
    expect(() => p.saveCopy(copyPath)).toThrow(/already exists; choose another name for the copy/);
    p.setSetting('after', true); // the original is still open, locked and writable
    expect(() => Project.open(p.path)).toThrow(/open in another/);
    const c = Project.open(copyPath);
    expect(c.info().projectId).toBe(p.info().projectId);
    expect(c.connectionSettings()).toMatchObject({ applicationId: APPLICATION_ID, userVersion: SCHEMA_VERSION });
    expect(c.getAnnotation(s.id)!.labelMap).toEqual(squareMap(1));
    expect(c.getSetting('after')).toBeUndefined();
    c.dispose();
    p.dispose();
    expect(fs.readdirSync(dir).sort()).toEqual(['copy.dgs', 'p.dgs']);
  });
});

describe('transactions', () => {
  it('a failure in the middle of a write leaves the previous state', () => {
    const p = newProject();
    p.addSamples(sampleRows([1, 2]));
    const before = p.listSamples();
    // Rows 3 and 4 insert fine, then row 5 hits the unique (model, seed, ψ) index inside the transaction.
    expect(() => p.addSamples(sampleRows([3, 4, 1]))).toThrow(/already in the project/);
    expect(p.listSamples()).toEqual(before);
    expect(() =>
      p.transaction(() => {
        p.addClass({ name: 'eye' });
        p.setSetting('x', 1);
        p.addSamples(sampleRows([8]));
        throw new Error('power cut');
      }),
    ).toThrow('power cut');
    expect(p.listClasses().map((c) => c.name)).toEqual(['background', 'head', 'hair']);
    expect(p.getSetting('x')).toBeUndefined();
    expect(p.listSamples()).toEqual(before);
    p.transaction(() => {
      p.addClass({ name: 'eye' });
      p.setSetting('x', 1);
    });
    expect(p.getSetting('x')).toBe(1);
    p.dispose();
    const q = Project.open(p.path);
    expect(q.listSamples()).toEqual(before);
    expect(q.listClasses().map((c) => c.name)).toEqual(['background', 'head', 'hair', 'eye']);
    q.dispose();
  });

  it('a read-only project refuses changes and a closed one refuses everything', () => {
    const p = newProject();
    p.dispose();
    const r = Project.open(p.path, { readonly: true });
    expect(r.readonly).toBe(true);
    expect(r.listClasses().length).toBe(3);
    expect(() => r.addClass({ name: 'eye' })).toThrow(/is open read-only; open it for editing/);
    r.dispose();
    r.dispose();
    expect(() => r.listClasses()).toThrow(/has been closed/);
  });
});
