/**
 * Every committed fixture (fixtures/v<N>.dgs, one per schema version ever released) must open, migrate
 * to the current version and still hold exactly what fixtures/make-fixture.ts wrote into it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { latentFromSeed } from '../../../shared/rng';
import { bundleSha256 } from '../../../node/bundle/bundle';
import { FIXTURE } from '../fixtures/make-fixture';
import { Project, SCHEMA_VERSION } from '../index';
import { migrate } from '../open-file';
import { MIGRATIONS } from '../migrations';
import { fingerprint, sampleRows, squareMap, tempDir, TINY } from './helpers';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const files = fs
  .readdirSync(FIXTURES)
  .filter((f) => /^v\d+\.dgs$/.test(f))
  .sort();

describe('fixtures of every schema version', () => {
  it('has one fixture per schema version, numbered migrations without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    expect(files).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => `v${i + 1}.dgs`));
  });

  for (const name of files) {
    const version = Number(/^v(\d+)\.dgs$/.exec(name)![1]);
    const shared = version >= FIXTURE.sharing.since;
    it(`${name} opens, migrates to v${SCHEMA_VERSION} and keeps its content`, () => {
      const original = path.join(FIXTURES, name);
      const pristine = fingerprint(original);
      const file = path.join(tempDir(), name);
      fs.copyFileSync(original, file);
      const p = Project.open(file);
      const info = p.info();
      expect(info.schemaVersion).toBe(SCHEMA_VERSION);
      expect([info.name, info.createdBy]).toEqual([FIXTURE.name, FIXTURE.author]);
      expect(info.counts).toEqual({ samples: 3, annotations: shared ? 3 : 1, interpreters: 1, generationRuns: 1 });
      expect(p.listClasses().map((c) => [c.index, c.name, c.hotkey])).toEqual(
        FIXTURE.classes.map((c, i) => [i, c.name, c.hotkey ?? null]),
      );
      expect(
        p
          .listClasses()
          .map((c) => c.color)
          .slice(0, 3),
      ).toEqual(['#000000', '#ff0000', '#00ff00']);

      const model = p.getModel()!;
      expect(bundleSha256(model.manifestJson, model.mapping, model.synthesis)).toBe(model.sha256);
      expect(info.model).toMatchObject({ sha256: model.sha256, resolution: TINY.resolution });

      const samples = p.listSamples();
      expect(samples.map((s) => [s.seed, s.psi, s.modelSha256])).toEqual(
        FIXTURE.seeds.map((seed) => [seed, FIXTURE.psi, model.sha256]),
      );
      for (const s of samples) {
        const { z, w } = p.getLatents(s.id);
        expect(z).toEqual(latentFromSeed(s.seed, TINY.zDim));
        expect(w).toEqual(sampleRows([s.seed])[0].w);
      }
      const annotated = samples.find((s) => s.seed === FIXTURE.annotatedSeed)!;
      expect(samples.filter((s) => s.annotated).map((s) => s.seed)).toEqual(
        shared ? FIXTURE.seeds : [FIXTURE.annotatedSeed],
      );
      const a = p.getAnnotation(annotated.id)!;
      expect(a.labelMap).toEqual(squareMap(FIXTURE.annotationClass));
      expect([a.width, a.height, a.shapes, a.author]).toEqual([
        TINY.resolution,
        TINY.resolution,
        FIXTURE.shapes,
        FIXTURE.author,
      ]);

      const interp = p.latestInterpreter()!;
      expect([interp.config, interp.metrics, interp.provider, interp.wallSeconds]).toEqual([
        FIXTURE.interpreter.config,
        FIXTURE.interpreter.metrics,
        FIXTURE.interpreter.provider,
        FIXTURE.interpreter.wallSeconds,
      ]);
      expect(interp.weights).toEqual(FIXTURE.weights);
      const [run] = p.listGenerationRuns();
      expect([run.status, run.config, run.outDir, run.progress, run.result, run.interpreterId]).toEqual([
        'done',
        FIXTURE.run.config,
        FIXTURE.run.outDir,
        FIXTURE.run.progress,
        FIXTURE.run.result,
        interp.id,
      ]);
      expect(p.listSettings()).toEqual(FIXTURE.settings);
      expect(p.integrityCheck()).toEqual(['ok']);

      // Format 2: who made each version, on what it was based, and what two copies disagreed on.
      const first = p.listAnnotationRevisions(annotated.id);
      expect(first.map((r) => [r.author, r.current, r.kept])).toEqual([[FIXTURE.author, true, false]]);
      expect(a.versionId).toBe(first[0].versionId);
      const contributors = p
        .listContributors()
        .map((c) => c.name)
        .sort();
      const sh = FIXTURE.sharing;
      if (!shared) {
        expect(contributors).toEqual([FIXTURE.author, 'tester']);
        expect(p.listConflicts()).toEqual([]);
      } else {
        expect(contributors).toEqual([FIXTURE.author, sh.labeler, 'tester']);
        const bySeed = (seed: number) => samples.find((s) => s.seed === seed)!;
        const [conflict, ...others] = p.listConflicts();
        expect(others).toEqual([]);
        expect(conflict).toMatchObject({
          sampleId: bySeed(sh.conflictSeed).id,
          mine: { author: FIXTURE.author },
          theirs: { author: sh.labeler },
        });
        expect(p.getAnnotation(conflict.sampleId)!.labelMap).toEqual(squareMap(sh.mineClass));
        expect(p.getConflictVersion(conflict.sampleId, conflict.theirs.versionId).labelMap).toEqual(
          squareMap(sh.theirsClass),
        );
        const keptSample = bySeed(sh.keptSeed);
        expect(keptSample.assignee).toBe(sh.labeler);
        expect(p.getAnnotation(keptSample.id)!.labelMap).toEqual(squareMap(sh.keptShown));
        const kept = p.listAnnotationRevisions(keptSample.id).filter((r) => r.kept);
        expect(kept).toHaveLength(1);
        expect(p.getAnnotationRevision(keptSample.id, kept[0].versionId).labelMap).toEqual(squareMap(sh.keptOther));
      }

      // The migrated file takes new work.
      const [added] = p.addSamples(sampleRows([99]));
      p.saveAnnotation(added.id, {
        width: TINY.resolution,
        height: TINY.resolution,
        labelMap: squareMap(3),
        shapes: [],
      });
      p.dispose();
      // The committed fixture itself was only copied, never touched.
      expect(fingerprint(original).bytes.equals(pristine.bytes)).toBe(true);
    });
  }

  it('migrate() walks an empty database up through every version, one user_version per step', async () => {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(':memory:');
    const seen: number[] = [];
    for (const m of MIGRATIONS) {
      migrate(db, m.version - 1, m.version);
      seen.push(db.pragma('user_version', { simple: true }) as number);
    }
    expect(seen).toEqual(MIGRATIONS.map((m) => m.version));
    expect(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
        (r) => r.name,
      ),
    ).toEqual([
      'annotation',
      'annotation_conflict',
      'contributor',
      'generation_run',
      'history',
      'interpreter',
      'label_class',
      'model',
      'project',
      'sample',
      'setting',
    ]);
    db.close();
  });
});
