/**
 * The version history that makes copies mergeable (docs/sharing.md). Every change of an annotation, a
 * label class or a sample is a version: a UUID, the version(s) it was based on, its revision, author
 * and time. Annotations carry a hash of their content; classes and samples the fields a merge combines.
 * A merge takes the union of two copies' histories and compares each row's two current versions with
 * their common ancestors.
 */
import { readEnvelope } from '../../shared/envelope';
import { VERSION_FIELDS_HISTORY, VERSION_PARENTS_HISTORY } from '../../shared/history-envelopes';
import { fromJson, newId, nowIso, type Ctx } from './store';

export type VersionKind = 'annotation' | 'label_class' | 'sample';

export interface VersionRecord {
  versionId: string;
  kind: VersionKind;
  rowId: string;
  revision: number;
  parents: string[];
  author: string | null;
  createdAt: string;
  deleted: boolean;
  /** Annotations: annotationContentHash (DELETED_HASH for a deletion). */
  contentHash: string | null;
  /** Classes and samples: the mergeable fields at this version. */
  fields: Record<string, unknown> | null;
}

export interface HistoryRow {
  version_id: string;
  kind: VersionKind;
  row_id: string;
  revision: number;
  parents_json: string;
  author: string | null;
  created_at: string;
  deleted: number;
  content_hash: string | null;
  fields_json: string | null;
  label_map: Uint8Array | null;
  shapes_json: string | null;
}

/** A version's parents and fields in today's form (src/shared/history-envelopes.ts), or a sentence. */
export function versionJson(
  file: string,
  r: Pick<HistoryRow, 'version_id' | 'parents_json' | 'fields_json'>,
): { parents: string[]; fields: Record<string, unknown> | null } {
  const place = (what: string) => ({
    what: `The ${what} of version ${r.version_id.slice(0, 8)} in the history of ${file}`,
    fix: 'restore the project from a backup copy or get a fresh copy from whoever sent it',
  });
  return {
    parents: readEnvelope(VERSION_PARENTS_HISTORY, fromJson(r.parents_json), place('parent list')),
    fields: readEnvelope(VERSION_FIELDS_HISTORY, fromJson(r.fields_json), place('field record')),
  };
}

export function toVersion(file: string, r: HistoryRow): VersionRecord {
  return {
    versionId: r.version_id,
    kind: r.kind,
    rowId: r.row_id,
    revision: r.revision,
    author: r.author,
    createdAt: r.created_at,
    deleted: r.deleted === 1,
    contentHash: r.content_hash,
    ...versionJson(file, r),
  };
}

/** Insert one version (a fresh id unless given); returns its id. */
export function recordVersion(
  ctx: Ctx,
  v: Omit<VersionRecord, 'versionId' | 'createdAt'> & { versionId?: string; createdAt?: string },
  kept?: { labelMap: Uint8Array; shapesJson: string },
): string {
  const id = v.versionId ?? newId();
  ctx.db
    .prepare(
      `INSERT INTO history (version_id, kind, row_id, revision, parents_json, author, created_at, deleted, content_hash, fields_json, label_map, shapes_json)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      v.kind,
      v.rowId,
      v.revision,
      JSON.stringify(v.parents),
      v.author,
      v.createdAt ?? nowIso(),
      v.deleted ? 1 : 0,
      v.contentHash,
      v.fields === null ? null : JSON.stringify(v.fields),
      kept?.labelMap ?? null,
      kept?.shapesJson ?? null,
    );
  return id;
}

export function getVersion(ctx: Ctx, versionId: string): VersionRecord | null {
  const r = ctx.db.prepare('SELECT * FROM history WHERE version_id = ?').get(versionId) as HistoryRow | undefined;
  return r ? toVersion(ctx.file, r) : null;
}

/** Every version of one row, oldest first. */
export function rowVersions(ctx: Ctx, kind: VersionKind, rowId: string): (VersionRecord & { kept: boolean })[] {
  const rows = ctx.db
    .prepare(
      `SELECT version_id, kind, row_id, revision, parents_json, author, created_at, deleted, content_hash, fields_json,
    NULL AS label_map, NULL AS shapes_json, label_map IS NOT NULL AS kept FROM history WHERE kind = ? AND row_id = ? ORDER BY revision, created_at, rowid`,
    )
    .all(kind, rowId) as (HistoryRow & { kept: number })[];
  return rows.map((r) => ({ ...toVersion(ctx.file, r), kept: r.kept === 1 }));
}

function sameFields(a: Record<string, unknown> | null, b: Record<string, unknown>): boolean {
  return a !== null && Object.keys(b).every((k) => a[k] === b[k]) && Object.keys(a).length === Object.keys(b).length;
}

/**
 * After a class or sample row changed: record a new version when its mergeable fields differ from its
 * current version's (a change of display order alone is no new version).
 */
export function recordFieldsVersion(
  ctx: Ctx,
  kind: 'label_class' | 'sample',
  rowId: string,
  fields: Record<string, unknown>,
  revision: number,
  currentVersion: string | null,
): string | null {
  const current = currentVersion === null ? null : getVersion(ctx, currentVersion);
  if (current && sameFields(current.fields, fields)) return null;
  const id = recordVersion(ctx, {
    kind,
    rowId,
    revision,
    parents: current ? [current.versionId] : [],
    author: ctx.author ?? null,
    deleted: fields.deleted === 1,
    contentHash: null,
    fields,
  });
  ctx.db.prepare(`UPDATE ${kind} SET version_id = ? WHERE id = ?`).run(id, rowId);
  return id;
}
