/**
 * Annotations in a merge, sample by sample (docs/sharing.md, "How a merge decides"). Each side has a
 * current version and maybe versions still in conflict from earlier merges. The two current versions
 * are compared with their latest common ancestors: changed on one side only → that side's; the same
 * content → no conflict; changed on both → a conflict that keeps both, mine shown. Versions waiting in
 * conflict stay unless a version based on them (or with their content) supersedes them. Nothing else
 * is ever dropped.
 */
import type Database from 'better-sqlite3';
import { annotationContentHash, DELETED_HASH } from '../content-hash';
import { annotationRow, writeAnnotationRow, type AnnotationRow } from '../annotations';
import type { ConflictRow } from '../conflicts';
import { decodeLabelMap } from '../../../shared/label-map-codec';
import { nowIso, type Ctx } from '../store';
import { decide, later, type Lineage } from './lineage';
import type { PixelRemap } from './remap';
import type { MergeReport } from './report';

/** A version in play for one sample, with the content to write if it is kept. */
interface Candidate {
  versionId: string;
  revision: number;
  hash: string;
  fromTheirs: boolean;
  content: Omit<ConflictRow, 'sample_id' | 'version_id' | 'merged_at'>;
}

function hashOf(lineage: Lineage, versionId: string, content: Candidate['content']): string {
  const known = lineage.get(versionId)?.content;
  if (known) return known;
  if (content.deleted === 1 || content.label_map === null) return DELETED_HASH;
  const { width, height, pixels } = decodeLabelMap(content.label_map);
  return annotationContentHash(width, height, pixels, content.shapes_json);
}

function fromRow(lineage: Lineage, r: AnnotationRow, fromTheirs: boolean, source: string | null): Candidate {
  const content = {
    width: r.width,
    height: r.height,
    label_map: r.label_map,
    shapes_json: r.shapes_json,
    deleted: r.deleted,
    author: r.author,
    revision: r.revision,
    updated_at: r.updated_at,
    source,
  };
  return {
    versionId: r.version_id ?? '',
    revision: r.revision,
    hash: hashOf(lineage, r.version_id ?? '', content),
    fromTheirs,
    content,
  };
}

function fromConflict(lineage: Lineage, c: ConflictRow, fromTheirs: boolean): Candidate {
  const { sample_id: _s, version_id: _v, merged_at: _m, ...content } = c;
  return {
    versionId: c.version_id,
    revision: c.revision,
    hash: hashOf(lineage, c.version_id, content),
    fromTheirs,
    content,
  };
}

/** Versions still waiting after a merge: none the head supersedes, none another waiting one supersedes, no content twice. */
function stillPending(lineage: Lineage, head: Candidate, pending: Candidate[]): Candidate[] {
  const ofHead = lineage.ancestors(head.versionId);
  const unique = [...new Map(pending.map((p) => [p.versionId, p])).values()];
  const open = unique.filter((p) => !ofHead.has(p.versionId) && p.hash !== head.hash);
  const ancestry = new Map(open.map((p) => [p.versionId, lineage.ancestors(p.versionId)]));
  return open
    .filter((p) => !open.some((q) => q !== p && ancestry.get(q.versionId)!.has(p.versionId)))
    .filter((p, _i, all) => !all.some((q) => q !== p && q.hash === p.hash && later(q, p)));
}

/** Merge every annotation of theirs into the output; returns the output sample ids whose annotation came from theirs. */
export function mergeAnnotations(
  out: Ctx,
  theirs: Database.Database,
  lineage: Lineage,
  idMap: Map<string, string>,
  remap: PixelRemap,
  report: MergeReport,
): Set<string> {
  const theirsRows = theirs.prepare('SELECT * FROM annotation').all() as AnnotationRow[];
  const theirsPending = new Map<string, ConflictRow[]>();
  for (const c of theirs.prepare('SELECT * FROM annotation_conflict').all() as ConflictRow[]) {
    theirsPending.set(c.sample_id, [...(theirsPending.get(c.sample_id) ?? []), c]);
  }
  const minePending = out.db.prepare('SELECT * FROM annotation_conflict WHERE sample_id = ?');
  const dropPending = out.db.prepare('DELETE FROM annotation_conflict WHERE sample_id = ?');
  const addPending = out.db
    .prepare(`INSERT INTO annotation_conflict (sample_id, version_id, width, height, label_map, shapes_json, deleted, author, revision, updated_at, source, merged_at)
    VALUES (@sample_id, @version_id, @width, @height, @label_map, @shapes_json, @deleted, @author, @revision, @updated_at, @source, @merged_at)`);
  const taken = new Set<string>();
  const now = nowIso();
  for (const t of theirsRows) {
    const sampleId = idMap.get(t.sample_id);
    if (!sampleId) throw new Error(`merge: annotation of unknown sample ${t.sample_id}`);
    const mineRow = annotationRow(out, sampleId);
    const theirsHead = fromRow(lineage, t, true, report.theirs);
    const mineHead = mineRow ? fromRow(lineage, mineRow, false, null) : null;
    let head = theirsHead;
    const pending: Candidate[] = [
      ...(minePending.all(sampleId) as ConflictRow[]).map((c) => fromConflict(lineage, c, false)),
      ...(theirsPending.get(t.sample_id) ?? []).map((c) => fromConflict(lineage, c, true)),
    ];
    if (mineHead && mineHead.versionId === theirsHead.versionId) head = mineHead;
    else if (mineHead) {
      const d = decide(lineage, mineHead.versionId, theirsHead.versionId, DELETED_HASH);
      head = d === 'theirs' ? theirsHead : mineHead;
      if (d === 'both') pending.push(theirsHead);
    }
    const open = stillPending(lineage, head, pending);
    if (head === theirsHead) {
      writeAnnotationRow(out, {
        ...t,
        sample_id: sampleId,
        label_map: remap.blob(t.label_map)!,
        shapes_json: remap.shapes(t.shapes_json)!,
      });
      taken.add(sampleId);
      report.annotations.fromTheirs++;
    } else {
      report.annotations.unchanged++;
    }
    dropPending.run(sampleId);
    for (const p of open) {
      const c = p.fromTheirs
        ? {
            ...p.content,
            label_map: remap.blob(p.content.label_map),
            shapes_json: remap.shapes(p.content.shapes_json)!,
          }
        : p.content;
      addPending.run({ ...c, sample_id: sampleId, version_id: p.versionId, merged_at: now });
      if (p.fromTheirs) taken.add(sampleId);
    }
  }
  return taken;
}
