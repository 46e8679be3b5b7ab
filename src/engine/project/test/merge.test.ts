/**
 * Merging copies of a project: the "Done when" case of issue 14 on the engine, one-side and both-side
 * changes, resolving conflicts, classes, samples added twice, and the refusals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeLabelerCopy, mergeProjects, Project } from '../index';
import { fingerprint, sampleRows, squareMap, tempDir, TINY, tinyModel } from './helpers';

const R = TINY.resolution;

/** A closed project with `n` samples (seeds 1…n); returns its path and the sample ids in order. */
function baseProject(
  dir: string,
  n = 4,
  classes = [{ name: 'background' }, { name: 'head' }, { name: 'hair' }],
): { file: string; ids: string[] } {
  const p = Project.create(path.join(dir, 'P.dgs'), { classes, author: 'lead' });
  p.embedModel(tinyModel());
  const ids = p.addSamples(sampleRows(Array.from({ length: n }, (_, i) => i + 1))).map((s) => s.id);
  p.dispose();
  return { file: p.path, ids };
}

function copyOf(file: string, name: string): string {
  const dest = path.join(path.dirname(file), name);
  fs.copyFileSync(file, dest);
  return dest;
}

/** Open, act as `author`, close. */
function edit(file: string, author: string, fn: (p: Project) => void): void {
  const p = Project.open(file, { author });
  try {
    fn(p);
  } finally {
    p.dispose();
  }
}

function label(p: Project, id: string, cls: number, tag = 0): void {
  const map = squareMap(cls);
  map[tag] = cls; // a distinct pixel per edit, so every edit is new content
  p.saveAnnotation(id, { width: R, height: R, labelMap: map, shapes: [{ tag }] });
}

function read<T>(file: string, fn: (p: Project) => T): T {
  const p = Project.open(file, { readonly: true });
  try {
    return fn(p);
  } finally {
    p.dispose();
  }
}

describe('merging two copies', () => {
  it('A labels 1–2, B labels 2–3: 1 and 3 carry their labels, 2 is one conflict with both versions', () => {
    const dir = tempDir();
    const { file, ids } = baseProject(dir);
    const [a, b] = [copyOf(file, 'A.dgs'), copyOf(file, 'B.dgs')];
    edit(a, 'alice', (p) => {
      label(p, ids[0], 1);
      label(p, ids[1], 1, 1);
    });
    edit(b, 'bob', (p) => {
      label(p, ids[1], 2, 2);
      label(p, ids[2], 2, 3);
    });
    const before = [fingerprint(a), fingerprint(b)];
    const out = path.join(dir, 'merged.dgs');
    const report = mergeProjects(a, b, out, { author: 'lead' });
    expect(report.annotations).toMatchObject({ fromTheirs: 1, conflicts: 1 });
    // The inputs are untouched.
    expect([fingerprint(a).bytes.equals(before[0].bytes), fingerprint(b).bytes.equals(before[1].bytes)]).toEqual([
      true,
      true,
    ]);
    read(out, (p) => {
      expect(p.getAnnotation(ids[0])!.author).toBe('alice');
      expect(p.getAnnotation(ids[2])!.author).toBe('bob');
      expect(p.getAnnotation(ids[3])).toBeNull();
      const conflicts = p.listConflicts();
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({
        sampleId: ids[1],
        seed: 2,
        mine: { author: 'alice', deleted: false },
        theirs: { author: 'bob', source: 'B.dgs' },
      });
      expect(p.getAnnotation(ids[1])!.shapes).toEqual([{ tag: 1 }]); // mine is shown
      expect(p.getConflictVersion(ids[1], conflicts[0].theirs.versionId).shapes).toEqual([{ tag: 2 }]);
      expect(
        p
          .info()
          .contributors.map((c) => c.name)
          .sort(),
      ).toEqual(['alice', 'bob', 'lead', 'tester']);
    });
    // Merging the same file again changes nothing.
    const again = path.join(dir, 'again.dgs');
    mergeProjects(out, b, again);
    read(again, (p) =>
      expect(p.listConflicts().map((c) => c.theirs.versionId)).toEqual(
        read(out, (q) => q.listConflicts().map((c) => c.theirs.versionId)),
      ),
    );

    // Resolving leaves none, and an older copy merged in later does not bring the conflict back.
    edit(out, 'lead', (p) => {
      const r = p.resolveConflict(ids[1], 'theirs');
      expect(r!.shapes).toEqual([{ tag: 2 }]);
      expect(r!.author, 'their version stays credited to its author, not to who settled it').toBe('bob');
      expect(p.listConflicts()).toEqual([]);
    });
    const later = path.join(dir, 'later.dgs');
    mergeProjects(out, a, later);
    read(later, (p) => {
      expect(p.listConflicts()).toEqual([]);
      expect(p.getAnnotation(ids[1])!.shapes).toEqual([{ tag: 2 }]);
    });
  });

  it('keeps both versions as revisions when asked, theirs kept whole under mine', () => {
    const dir = tempDir();
    const { file, ids } = baseProject(dir, 2);
    const [a, b] = [copyOf(file, 'A.dgs'), copyOf(file, 'B.dgs')];
    edit(a, 'alice', (p) => label(p, ids[0], 1, 1));
    edit(b, 'bob', (p) => label(p, ids[0], 2, 2));
    const out = path.join(dir, 'm.dgs');
    mergeProjects(a, b, out);
    edit(out, 'lead', (p) => {
      p.resolveConflict(ids[0], 'both');
      expect(p.listConflicts()).toEqual([]);
      const revisions = p.listAnnotationRevisions(ids[0]);
      const kept = revisions.filter((r) => r.kept);
      expect(kept).toHaveLength(1);
      expect(p.getAnnotationRevision(ids[0], kept[0].versionId).shapes).toEqual([{ tag: 2 }]);
      expect(p.getAnnotation(ids[0])!.shapes).toEqual([{ tag: 1 }]);
      expect(revisions.find((r) => r.current)!.author, 'each kept version keeps its author').toBe('alice');
      expect(kept[0].author).toBe('bob');
    });
  });

  it('refuses different models, an output that exists (unless forced) or is an input, and writes nothing', () => {
    const dir = tempDir();
    const { file } = baseProject(dir, 1);
    const other = Project.create(path.join(dir, 'other.dgs'), { classes: [] });
    other.embedModel(tinyModel('another model', 9));
    other.dispose();
    const out = path.join(dir, 'out.dgs');
    expect(() => mergeProjects(file, other.path, out)).toThrow(
      /use different models \(tiny test model \([0-9a-f]{12}\) and another model/,
    );
    expect(fs.existsSync(out)).toBe(false);
    expect(() => mergeProjects(file, file, file)).toThrow(/is one of the inputs, which a merge never changes/);
    fs.writeFileSync(out, 'precious');
    expect(() => mergeProjects(file, file, out)).toThrow(
      /already exists; choose another name, or add --force to replace it/,
    );
    expect(fs.readFileSync(out, 'utf8')).toBe('precious');
    mergeProjects(file, file, out, { force: true });
    expect(read(out, (p) => p.listSamples().length)).toBe(1);
    expect(fs.readdirSync(dir).sort()).toEqual(['P.dgs', 'other.dgs', 'out.dgs']);
  });
});

describe('classes, samples and the rest in a merge', () => {
  it('matches classes by name, renumbers a clashing index and rewrites its pixels, keeps a one-side rename', () => {
    const dir = tempDir();
    const { file, ids } = baseProject(dir, 3);
    const [a, b] = [copyOf(file, 'A.dgs'), copyOf(file, 'B.dgs')];
    edit(a, 'alice', (p) => {
      const hair = p.listClasses().find((c) => c.name === 'hair')!;
      p.updateClass(hair.id, { name: 'hairdo' });
      p.addClass({ name: 'nose' }); // index 3
      p.addClass({ name: 'eye' }); // index 4
      label(p, ids[0], 3);
    });
    edit(b, 'bob', (p) => {
      p.addClass({ name: 'mouth' }); // index 3 here too
      p.addClass({ name: 'Eye' }); // index 4: the same class as alice's "eye"
      label(p, ids[1], 3); // mouth
      label(p, ids[2], 2); // hair
    });
    const out = path.join(dir, 'm.dgs');
    const report = mergeProjects(a, b, out);
    expect(report.classes).toMatchObject({
      added: ['mouth'],
      matchedByName: ['Eye'],
      renumbered: [{ name: 'mouth', from: 3, to: 5 }],
    });
    read(out, (p) => {
      expect(p.listClasses().map((c) => [c.index, c.name])).toEqual([
        [0, 'background'],
        [1, 'head'],
        [2, 'hairdo'],
        [3, 'nose'],
        [4, 'eye'],
        [5, 'mouth'],
      ]);
      expect(p.getAnnotation(ids[0])!.labelMap).toEqual(read(a, (q) => q.getAnnotation(ids[0])!.labelMap)); // nose stays 3
      const mouth = p.getAnnotation(ids[1])!.labelMap;
      expect(new Set(mouth)).toEqual(new Set([0, 5])); // bob's 3 is 5 here
      expect(new Set(p.getAnnotation(ids[2])!.labelMap)).toEqual(new Set([0, 2])); // hair is hairdo
    });
    // Merged the other way, the same classes (only indices of classes added on both sides differ).
    const other = path.join(dir, 'm2.dgs');
    mergeProjects(b, a, other);
    read(other, (p) =>
      expect(
        p
          .listClasses()
          .map((c) => c.name)
          .sort(),
      ).toEqual(['Eye', 'background', 'hairdo', 'head', 'mouth', 'nose']),
    );
  });

  it('keeps a class deleted on one side while the other side still paints with it, and a deleted sample the other side annotated', () => {
    const dir = tempDir();
    const { file, ids } = baseProject(dir, 3);
    const [a, b] = [copyOf(file, 'A.dgs'), copyOf(file, 'B.dgs')];
    edit(a, 'alice', (p) => {
      p.removeClass(p.listClasses().find((c) => c.name === 'hair')!.id);
      p.deleteSample(ids[2]);
    });
    edit(b, 'bob', (p) => {
      label(p, ids[0], 2);
      label(p, ids[2], 1);
    });
    const out = path.join(dir, 'm.dgs');
    const report = mergeProjects(a, b, out);
    expect(report.samples.kept).toBe(1);
    expect(report.notes.join(' ')).toMatch(
      /Class "hair" was deleted in one copy but the other copy's annotations still use it; it is kept/,
    );
    read(out, (p) => {
      expect(p.listClasses().map((c) => c.name)).toContain('hair');
      expect(p.getAnnotation(ids[0])!.author).toBe('bob');
      expect(p.getSample(ids[2])).not.toBeNull();
      expect(p.getAnnotation(ids[2])!.author).toBe('bob');
    });
  });

  it('merges a sample both copies added (same seed and ψ) into one, and keeps interpreters, runs and assignments from both', () => {
    const dir = tempDir();
    const { file, ids } = baseProject(dir, 2);
    const [a, b] = [copyOf(file, 'A.dgs'), copyOf(file, 'B.dgs')];
    edit(a, 'alice', (p) => {
      const [s] = p.addSamples(sampleRows([77]));
      label(p, s.id, 1);
      const { id } = p.saveInterpreter({ config: { a: 1 }, weights: new Uint8Array([1, 2, 3]), metrics: {} });
      p.addGenerationRun({ config: {}, outDir: '/tmp/a', interpreterId: id });
    });
    edit(b, 'bob', (p) => {
      const [s] = p.addSamples(sampleRows([77]));
      label(p, s.id, 2);
      p.saveInterpreter({ config: { b: 1 }, weights: new Uint8Array([4, 5]), metrics: {} });
      p.assignSamples([ids[0]], 'carol');
    });
    const out = path.join(dir, 'm.dgs');
    const report = mergeProjects(a, b, out);
    expect(report.samples.matchedByIdentity).toBe(1);
    expect([report.interpreters.added, report.generationRuns.added]).toEqual([1, 0]);
    read(out, (p) => {
      expect(p.listSamples().filter((s) => s.seed === 77)).toHaveLength(1);
      expect(p.listConflicts().map((c) => [c.seed, c.mine.author, c.theirs.author])).toEqual([[77, 'alice', 'bob']]);
      expect(p.listInterpreters()).toHaveLength(2);
      expect(
        p
          .listInterpreters()
          .map((i) => p.getInterpreter(i.id)!.weights.length)
          .sort(),
      ).toEqual([2, 3]);
      expect(p.listGenerationRuns()).toHaveLength(1);
      expect(p.getSample(ids[0])!.assignee).toBe('carol');
    });
  });
});

describe('labeler copies', () => {
  it('leaves out interpreters and runs, assigns samples in source and copy, and its work comes home on merge', () => {
    const dir = tempDir();
    const { file, ids } = baseProject(dir, 4);
    edit(file, 'lead', (p) => {
      const { id } = p.saveInterpreter({ config: {}, weights: new Uint8Array(200_000).fill(7), metrics: {} });
      p.addGenerationRun({ config: {}, outDir: '/tmp/x', interpreterId: id });
    });
    const copy = path.join(dir, 'for-alice.dgs');
    const r = makeLabelerCopy(file, copy, { labeler: 'alice', count: 2, author: 'lead' });
    expect(r.assigned.map((s) => s.id)).toEqual(ids.slice(0, 2));
    expect([r.recordedInSource, r.dropped, r.reassigned]).toEqual([true, { interpreters: 1, generationRuns: 1 }, []]);
    expect(r.bytes).toBeLessThan(fs.statSync(file).size - 150_000);
    read(copy, (p) => {
      expect(p.info().counts).toMatchObject({ samples: 4, interpreters: 0, generationRuns: 0 });
      expect(p.listSamples().map((s) => s.assignee)).toEqual(['alice', 'alice', null, null]);
    });
    // The next copy gets the samples nobody has yet.
    const bob = makeLabelerCopy(file, path.join(dir, 'for-bob.dgs'), { labeler: 'bob', count: 5 });
    expect(bob.assigned.map((s) => s.id)).toEqual(ids.slice(2));
    expect(() => makeLabelerCopy(file, path.join(dir, 'x.dgs'), { labeler: 'carol', count: 1 })).toThrow(
      /Every sample of .* is assigned or annotated already/,
    );
    expect(() => makeLabelerCopy(file, copy, {})).toThrow(/already exists; choose another name, or add --force/);
    const again = makeLabelerCopy(file, path.join(dir, 'for-carol.dgs'), {
      labeler: 'carol',
      samples: [`seed-${1}`],
      author: 'lead',
    });
    expect(again.reassigned).toEqual([{ seed: 1, from: 'alice' }]);
    makeLabelerCopy(file, path.join(dir, 'back.dgs'), { labeler: 'alice', samples: [ids[0]], author: 'lead' });

    edit(copy, 'alice', (p) => label(p, ids[0], 1));
    const home = path.join(dir, 'home.dgs');
    mergeProjects(file, copy, home);
    read(home, (p) => {
      expect(p.getAnnotation(ids[0])!.author).toBe('alice');
      expect(p.listInterpreters()).toHaveLength(1); // the lead's interpreter is still there
      expect(p.listGenerationRuns()).toHaveLength(1);
      expect(p.listSamples().map((s) => s.assignee)).toEqual(['alice', 'alice', 'bob', 'bob']);
      expect(p.listConflicts()).toEqual([]);
    });
  });
});

describe('copies from an older version', () => {
  it('merges two copies of a format-1 file upgraded separately without false conflicts', () => {
    const dir = tempDir();
    const v1 = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/v1.dgs');
    const [a, b] = [path.join(dir, 'A.dgs'), path.join(dir, 'B.dgs')];
    fs.copyFileSync(v1, a);
    fs.copyFileSync(v1, b);
    let seed22 = '';
    edit(a, 'alice', (p) => {
      seed22 = p.listSamples().find((s) => s.seed === 22)!.id;
      label(p, seed22, 1);
      p.saveUpgrade();
    });
    const before = fingerprint(b);
    const out = path.join(dir, 'm.dgs');
    const report = mergeProjects(a, b, out); // b is still format 1: read through a migrated copy, untouched
    expect(fingerprint(b).bytes.equals(before.bytes)).toBe(true);
    expect([report.annotations.conflicts, report.notes]).toEqual([0, []]);
    read(out, (p) => {
      expect(p.listAnnotations()).toHaveLength(2);
      expect(p.getAnnotation(seed22)!.author).toBe('alice');
      expect(p.listClasses()).toHaveLength(4);
    });
  });
});
