/**
 * Annotation conflicts left by a merge (docs/sharing.md): a sample whose annotation both copies changed
 * since their common version keeps both versions — the project shows "mine" (the annotation row), the
 * others wait whole in `annotation_conflict` until someone picks. Resolving makes a new version based on
 * every version in the conflict, so merging an older copy again never brings the conflict back.
 */
import { UserError } from '../../shared/errors';
import type {
  AnnotationConflict,
  AnnotationRevision,
  AnnotationVersionContent,
  AnnotationVersionInfo,
  AnnotationWithMap,
  ConflictChoice,
} from '../../shared/project-types';
import {
  annotationRow,
  decodeStoredMap,
  getAnnotation,
  putAnnotationVersion,
  type AnnotationContent,
  type AnnotationRow,
} from './annotations';
import { rowVersions } from './history';
import { fromJson, type Ctx } from './store';

export interface ConflictRow {
  sample_id: string;
  version_id: string;
  width: number | null;
  height: number | null;
  label_map: Uint8Array | null;
  shapes_json: string;
  deleted: number;
  author: string | null;
  revision: number;
  updated_at: string;
  source: string | null;
  merged_at: string;
}

function mineInfo(a: AnnotationRow): AnnotationVersionInfo {
  return {
    versionId: a.version_id ?? '',
    revision: a.revision,
    author: a.author,
    updatedAt: a.updated_at,
    deleted: a.deleted === 1,
    source: null,
  };
}

function theirsInfo(c: ConflictRow): AnnotationVersionInfo {
  return {
    versionId: c.version_id,
    revision: c.revision,
    author: c.author,
    updatedAt: c.updated_at,
    deleted: c.deleted === 1,
    source: c.source,
  };
}

export function conflictRows(ctx: Ctx, sampleId?: string): ConflictRow[] {
  const where = sampleId === undefined ? '' : 'WHERE sample_id = ?';
  const stmt = ctx.db.prepare(`SELECT * FROM annotation_conflict ${where} ORDER BY sample_id, revision, version_id`);
  return (sampleId === undefined ? stmt.all() : stmt.all(sampleId)) as ConflictRow[];
}

/** Every unresolved conflict, in gallery order; a sample changed in three copies lists two. */
export function listConflicts(ctx: Ctx): AnnotationConflict[] {
  const rows = ctx.db
    .prepare(
      `SELECT c.*, s.seed, s.psi FROM annotation_conflict c JOIN sample s ON s.id = c.sample_id
    ORDER BY s.created_at, s.rowid, c.revision, c.version_id`,
    )
    .all() as (ConflictRow & { seed: number; psi: number })[];
  return rows.map((c) => {
    const mine = annotationRow(ctx, c.sample_id);
    if (!mine)
      throw new UserError(
        `${ctx.file} is damaged (a conflict names sample ${c.sample_id}, which has no annotation); restore a backup copy.`,
      );
    return { sampleId: c.sample_id, seed: c.seed, psi: c.psi, mine: mineInfo(mine), theirs: theirsInfo(c) };
  });
}

export function conflictCount(ctx: Ctx): number {
  return (ctx.db.prepare('SELECT count(DISTINCT sample_id) AS n FROM annotation_conflict').get() as { n: number }).n;
}

function conflictContent(ctx: Ctx, c: ConflictRow): AnnotationContent | null {
  if (c.deleted === 1 || c.label_map === null) return null;
  const { width, height, pixels } = decodeStoredMap(ctx, c.sample_id, c.label_map);
  return { width, height, pixels, shapesJson: c.shapes_json };
}

function rowContent(ctx: Ctx, a: AnnotationRow): AnnotationContent | null {
  if (a.deleted === 1) return null;
  const { width, height, pixels } = decodeStoredMap(ctx, a.sample_id, a.label_map);
  return { width, height, pixels, shapesJson: a.shapes_json };
}

function asContent(info: AnnotationVersionInfo, c: AnnotationContent | null): AnnotationVersionContent {
  return {
    ...info,
    width: c?.width ?? null,
    height: c?.height ?? null,
    labelMap: c?.pixels ?? null,
    shapes: c ? fromJson(c.shapesJson) : null,
  };
}

/** One version of a conflicted annotation with its pixels (mine's id gives the project's own version). */
export function getConflictVersion(ctx: Ctx, sampleId: string, versionId: string): AnnotationVersionContent {
  const mine = annotationRow(ctx, sampleId);
  if (mine && mine.version_id === versionId) return asContent(mineInfo(mine), rowContent(ctx, mine));
  const c = conflictRows(ctx, sampleId).find((r) => r.version_id === versionId);
  if (!c) throw new UserError(`Sample ${sampleId} has no conflicting version ${versionId}; reload the conflict list.`);
  return asContent(theirsInfo(c), conflictContent(ctx, c));
}

/** Pixels of classes deleted since the merge become background, as deleting a class does everywhere. */
function onLiveClasses(ctx: Ctx, content: AnnotationContent | null): AnnotationContent | null {
  if (!content) return null;
  const live = new Uint8Array(256);
  for (const { class_index } of ctx.db.prepare('SELECT class_index FROM label_class WHERE deleted = 0').all() as {
    class_index: number;
  }[])
    live[class_index] = 1;
  if (content.pixels.every((v) => live[v] === 1)) return content;
  return { ...content, pixels: content.pixels.map((v) => (live[v] ? v : 0)) };
}

/**
 * Resolve a sample's conflict: 'mine' keeps the project's version, 'theirs' takes the other one (name it
 * with `versionId` when there are several), 'both' keeps every version as a revision of its own — theirs
 * first, kept whole in the history, mine on top as the current one.
 */
export function resolveConflict(
  ctx: Ctx,
  sampleId: string,
  choice: ConflictChoice,
  opts: { versionId?: string; author: string | null },
): AnnotationWithMap | null {
  const pending = conflictRows(ctx, sampleId);
  const mine = annotationRow(ctx, sampleId);
  if (pending.length === 0 || !mine)
    throw new UserError(`Sample ${sampleId} has no conflict to resolve; reload the conflict list.`);
  if (choice !== 'mine' && choice !== 'theirs' && choice !== 'both')
    throw new UserError(`"${String(choice)}" is not a way to resolve a conflict (mine, theirs or both).`);
  const parents = [mine.version_id ?? '', ...pending.map((p) => p.version_id)].filter((v) => v !== '');
  let revision = Math.max(mine.revision, ...pending.map((p) => p.revision)) + 1;
  // A kept version stays credited to whoever drew it; the one who settled the conflict is the author
  // only of a version that has none.
  const authorOf = (drawnBy: string | null) => drawnBy ?? opts.author;
  if (choice === 'both') {
    const sequence = [
      ...pending.map((p) => ({ content: conflictContent(ctx, p), author: p.author })),
      { content: rowContent(ctx, mine), author: mine.author },
    ].filter((v): v is { content: AnnotationContent; author: string | null } => v.content !== null);
    let base = parents;
    sequence.forEach(({ content, author }, i) => {
      const row = putAnnotationVersion(ctx, sampleId, onLiveClasses(ctx, content), {
        author: authorOf(author),
        parents: base,
        revision: revision++,
        keep: i < sequence.length - 1,
      });
      base = [row.version_id!];
    });
  } else {
    let chosen: AnnotationContent | null;
    let drawnBy: string | null;
    if (choice === 'mine') {
      chosen = rowContent(ctx, mine);
      drawnBy = mine.author;
    } else {
      const target =
        opts.versionId === undefined && pending.length === 1
          ? pending[0]
          : pending.find((p) => p.version_id === opts.versionId);
      if (!target) {
        throw new UserError(
          `Sample ${sampleId} has ${pending.length} other versions; name the one to take (${pending.map((p) => p.version_id).join(', ')}).`,
        );
      }
      chosen = conflictContent(ctx, target);
      drawnBy = target.author;
    }
    putAnnotationVersion(ctx, sampleId, onLiveClasses(ctx, chosen), { author: authorOf(drawnBy), parents, revision });
  }
  ctx.db.prepare('DELETE FROM annotation_conflict WHERE sample_id = ?').run(sampleId);
  return getAnnotation(ctx, sampleId);
}

/** An annotation's history, oldest first; `kept` revisions have their pixels stored. */
export function listAnnotationRevisions(ctx: Ctx, sampleId: string): AnnotationRevision[] {
  const current = annotationRow(ctx, sampleId)?.version_id ?? null;
  return rowVersions(ctx, 'annotation', sampleId).map((v) => ({
    versionId: v.versionId,
    revision: v.revision,
    parents: v.parents,
    author: v.author,
    createdAt: v.createdAt,
    deleted: v.deleted,
    kept: v.kept,
    current: v.versionId === current,
  }));
}

/** A kept (or the current, or a conflicting) revision with its pixels, to view or restore. */
export function getAnnotationRevision(ctx: Ctx, sampleId: string, versionId: string): AnnotationVersionContent {
  const kept = ctx.db
    .prepare(
      `SELECT version_id, revision, author, created_at, deleted, label_map, shapes_json FROM history
    WHERE kind = 'annotation' AND row_id = ? AND version_id = ? AND label_map IS NOT NULL`,
    )
    .get(sampleId, versionId) as
    | {
        version_id: string;
        revision: number;
        author: string | null;
        created_at: string;
        deleted: number;
        label_map: Uint8Array;
        shapes_json: string;
      }
    | undefined;
  if (!kept) return getConflictVersion(ctx, sampleId, versionId);
  const { width, height, pixels } = decodeStoredMap(ctx, sampleId, kept.label_map);
  const info = {
    versionId,
    revision: kept.revision,
    author: kept.author,
    updatedAt: kept.created_at,
    deleted: false,
    source: null,
  };
  return asContent(info, { width, height, pixels, shapesJson: kept.shapes_json });
}
