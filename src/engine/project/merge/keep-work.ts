/**
 * The last step of a merge, which keeps work one side did not know about: a sample deleted in one copy
 * whose annotation the other copy changed stays (with its annotation, or its conflict), and a class
 * deleted in one copy that the other copy's annotations still paint with stays too. The deleting side
 * can delete them again once it has seen the work.
 */
import { decodeLabelMap } from '../../../shared/label-map-codec';
import { classFields } from '../classes';
import { recordFieldsVersion } from '../history';
import { recordSampleVersion } from '../samples';
import { nowIso, type Ctx } from '../store';
import type { MergeReport } from './report';

export function keepSamplesWithWork(out: Ctx, report: MergeReport): void {
  const orphans = out.db
    .prepare(
      `SELECT s.id, s.seed, s.psi FROM sample s WHERE s.deleted = 1 AND (
      EXISTS (SELECT 1 FROM annotation a WHERE a.sample_id = s.id AND a.deleted = 0)
      OR EXISTS (SELECT 1 FROM annotation_conflict c WHERE c.sample_id = s.id))`,
    )
    .all() as { id: string; seed: number; psi: number }[];
  const twin = out.db.prepare('SELECT 1 FROM sample WHERE deleted = 0 AND seed = ? AND psi = ?');
  for (const s of orphans) {
    if (twin.get(s.seed, s.psi)) {
      report.notes.push(
        `The annotation work on sample seed ${s.seed} stays on its deleted sample, because another sample has the same seed and ψ.`,
      );
      continue;
    }
    out.db
      .prepare('UPDATE sample SET deleted = 0, revision = revision + 1, updated_at = ? WHERE id = ?')
      .run(nowIso(), s.id);
    recordSampleVersion(out, s.id);
    report.samples.kept++;
    report.notes.push(`Sample seed ${s.seed} was deleted in one copy but annotated in the other; it is kept.`);
  }
}

/**
 * Classes deleted in the result whose index still has pixels in a live annotation or a waiting conflict
 * version. `scanAll`: look at every annotation (a class was deleted by the merge); otherwise only at
 * those that came from theirs and at the conflicts.
 */
export function keepClassesInUse(out: Ctx, report: MergeReport, fromTheirs: Set<string>, scanAll: boolean): void {
  const deleted = out.db.prepare('SELECT id, class_index, name FROM label_class WHERE deleted = 1').all() as {
    id: string;
    class_index: number;
    name: string;
  }[];
  if (deleted.length === 0) return;
  const used = new Uint8Array(256);
  const look = (blob: Uint8Array | null) => {
    if (blob === null) return;
    for (const v of decodeLabelMap(blob).pixels) used[v] = 1;
  };
  for (const a of out.db
    .prepare('SELECT sample_id, label_map FROM annotation WHERE deleted = 0')
    .iterate() as IterableIterator<{ sample_id: string; label_map: Uint8Array }>) {
    if (scanAll || fromTheirs.has(a.sample_id)) look(a.label_map);
  }
  for (const c of out.db
    .prepare('SELECT label_map FROM annotation_conflict WHERE deleted = 0')
    .iterate() as IterableIterator<{ label_map: Uint8Array | null }>)
    look(c.label_map);
  for (const c of deleted) {
    if (!used[c.class_index]) continue;
    const clash = out.db.prepare('SELECT 1 FROM label_class WHERE deleted = 0 AND name = ? COLLATE NOCASE').get(c.name);
    const name = clash ? `${c.name} (kept)` : c.name;
    out.db
      .prepare('UPDATE label_class SET deleted = 0, name = ?, revision = revision + 1, updated_at = ? WHERE id = ?')
      .run(name, nowIso(), c.id);
    const r = out.db.prepare('SELECT * FROM label_class WHERE id = ?').get(c.id) as Parameters<
      typeof classFields
    >[0] & { revision: number; version_id: string | null };
    recordFieldsVersion(out, 'label_class', c.id, classFields(r), r.revision, r.version_id);
    report.classes.deleted = report.classes.deleted.filter((n) => n !== c.name);
    report.notes.push(
      `Class "${c.name}" was deleted in one copy but the other copy's annotations still use it; it is kept${clash ? ` as "${name}"` : ''}.`,
    );
  }
}
