/**
 * Samples in a merge. A sample both copies hold (same id) merges its assignee and deletion field by
 * field; a live sample of theirs with the same (seed, ψ) as a live one here is the same image added
 * twice and becomes that one (the models are equal); any other sample of theirs is added. Returns
 * theirs' sample id → the output's.
 */
import type Database from 'better-sqlite3';
import { recordVersion } from '../history';
import { nowIso, type Ctx } from '../store';
import { mergeFieldVersions, recordMerged } from './field-merge';
import { mergedVersionId, type Lineage } from './lineage';
import type { MergeReport } from './report';

interface SampleRow {
  id: string;
  model_sha256: string;
  seed: number;
  psi: number;
  z: Uint8Array;
  w: Uint8Array;
  creator: string | null;
  created_at: string;
  deleted: number;
  revision: number;
  updated_at: string;
  version_id: string | null;
  assignee: string | null;
}

const identity = (s: { seed: number; psi: number }): string => `${s.seed}/${s.psi}`;

export function mergeSamples(
  out: Ctx,
  theirs: Database.Database,
  lineage: Lineage,
  report: MergeReport,
): Map<string, string> {
  const mine = out.db
    .prepare('SELECT id, seed, psi, deleted, assignee, revision, version_id FROM sample')
    .all() as SampleRow[];
  const byId = new Map(mine.map((s) => [s.id, s]));
  const liveByIdentity = new Map(mine.filter((s) => s.deleted === 0).map((s) => [identity(s), s]));
  const idMap = new Map<string, string>();
  const setFields = out.db.prepare(
    'UPDATE sample SET assignee = ?, deleted = ?, revision = ?, version_id = ?, updated_at = ? WHERE id = ?',
  );
  const insert = out.db
    .prepare(`INSERT INTO sample (id, model_sha256, seed, psi, z, w, creator, created_at, deleted, revision, updated_at, version_id, assignee)
    VALUES (@id, @model_sha256, @seed, @psi, @z, @w, @creator, @created_at, @deleted, @revision, @updated_at, @version_id, @assignee)`);
  const rows = theirs.prepare('SELECT * FROM sample ORDER BY created_at, rowid').all() as SampleRow[];
  for (const t of rows) {
    const m = byId.get(t.id);
    if (m) {
      idMap.set(t.id, m.id);
      if (!m.version_id || !t.version_id) continue;
      const merge = mergeFieldVersions(lineage, m.version_id, t.version_id);
      if (merge.bothChanged.includes('assignee'))
        report.notes.push(
          `Sample seed ${t.seed} was assigned to different labelers in both copies; it stays with "${String(merge.fields.assignee)}".`,
        );
      if (merge.take === 'mine') continue;
      let deleted = merge.fields.deleted as number;
      // Coming back to life must not clash with another live sample of the same image.
      if (deleted === 0 && m.deleted === 1 && liveByIdentity.has(identity(t))) deleted = 1;
      if (merge.take === 'new') recordMerged(out, lineage, 'sample', m.id, merge);
      const [revision, versionId] =
        merge.take === 'theirs' ? [t.revision, t.version_id] : [merge.merged!.revision, merge.merged!.versionId];
      setFields.run(merge.fields.assignee ?? null, deleted, revision, versionId, nowIso(), m.id);
      if (deleted === 0) liveByIdentity.set(identity(t), m);
      else if (liveByIdentity.get(identity(t))?.id === m.id) liveByIdentity.delete(identity(t));
      continue;
    }
    const twin = t.deleted === 0 ? liveByIdentity.get(identity(t)) : undefined;
    if (twin) {
      idMap.set(t.id, twin.id);
      report.samples.matchedByIdentity++;
      if (twin.assignee === null && t.assignee !== null && twin.version_id && t.version_id) {
        // The twin takes theirs' assignment, as a version based on both.
        const parents = [twin.version_id, t.version_id];
        const fields = { assignee: t.assignee, deleted: 0 };
        const versionId = mergedVersionId(parents, JSON.stringify(fields));
        const revision = Math.max(twin.revision, t.revision) + 1;
        if (!lineage.get(versionId)) {
          recordVersion(out, {
            versionId,
            kind: 'sample',
            rowId: twin.id,
            revision,
            parents,
            author: out.author ?? null,
            deleted: false,
            contentHash: null,
            fields,
          });
          lineage.add({ versionId, kind: 'sample', revision, parents, fields });
        }
        setFields.run(t.assignee, 0, revision, versionId, nowIso(), twin.id);
        twin.assignee = t.assignee;
      }
      continue;
    }
    insert.run(t);
    idMap.set(t.id, t.id);
    if (t.deleted === 0) {
      liveByIdentity.set(identity(t), t);
      report.samples.added++;
    }
  }
  return idMap;
}
