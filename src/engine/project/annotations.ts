/**
 * Annotations: one per sample. The raster label map (label-map codec) is the source of truth; the
 * vector shapes are stored as JSON for re-editing. Saving checks the map's size against the model's
 * resolution and every pixel against the live classes, so the file never holds a pixel that means
 * nothing. Every change is a new version in the history (history.ts): its author, its revision and
 * the revision it was based on, and a hash of its content for merges.
 */
import { UserError } from '../../shared/errors';
import { decodeLabelMap, encodeLabelMap } from '../../shared/label-map-codec';
import type { Annotation, AnnotationInput, AnnotationSummary, AnnotationWithMap } from '../../shared/project-types';
import { annotationContentHash, DELETED_HASH } from './content-hash';
import { noteContributor } from './contributors';
import { recordVersion } from './history';
import { modelManifest } from './model';
import { requireSample } from './samples';
import { checkRevision, fromJson, nowIso, toJson, type Ctx } from './store';

export interface AnnotationRow {
  sample_id: string;
  width: number;
  height: number;
  label_map: Uint8Array;
  shapes_json: string;
  author: string | null;
  created_at: string;
  deleted: number;
  revision: number;
  updated_at: string;
  version_id: string | null;
  base_revision: number;
}

function toAnnotation(r: AnnotationRow): Annotation {
  return {
    sampleId: r.sample_id,
    width: r.width,
    height: r.height,
    shapes: fromJson(r.shapes_json),
    author: r.author,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    revision: r.revision,
    baseRevision: r.base_revision,
    versionId: r.version_id ?? '',
  };
}

export function annotationRow(ctx: Ctx, sampleId: string): AnnotationRow | undefined {
  return ctx.db.prepare('SELECT * FROM annotation WHERE sample_id = ?').get(sampleId) as AnnotationRow | undefined;
}

/** Pixels whose class is not live, as a sentence (null when every pixel is a live class). */
export function unknownClassPixels(ctx: Ctx, labelMap: Uint8Array): string | null {
  const allowed = new Uint8Array(256);
  for (const { class_index } of ctx.db.prepare('SELECT class_index FROM label_class WHERE deleted = 0').all() as {
    class_index: number;
  }[]) {
    allowed[class_index] = 1;
  }
  const seen = new Uint8Array(256);
  for (let i = 0; i < labelMap.length; i++) seen[labelMap[i]] = 1;
  for (let v = 0; v < 256; v++) if (seen[v] && !allowed[v]) return `class index ${v}`;
  return null;
}

/** What a new version holds: the pixels and shapes, or null for a deletion (the row keeps its last content). */
export interface AnnotationContent {
  width: number;
  height: number;
  pixels: Uint8Array;
  shapesJson: string;
}

export interface VersionOptions {
  author: string | null;
  /** Default: the row's current version. */
  parents?: string[];
  /** Default: the row's revision + 1. */
  revision?: number;
  /** Keep this version's pixels in the history (a conflict resolved by keeping both). */
  keep?: boolean;
}

/**
 * The one way an annotation row changes: write the new content (or tombstone it), and record the
 * version — based on the row's current one unless told otherwise.
 */
export function putAnnotationVersion(
  ctx: Ctx,
  sampleId: string,
  content: AnnotationContent | null,
  opts: VersionOptions,
): AnnotationRow {
  const existing = annotationRow(ctx, sampleId);
  if (!content && !existing) throw new Error(`no annotation of ${sampleId} to delete`);
  const now = nowIso();
  const revision = opts.revision ?? (existing ? existing.revision + 1 : 1);
  const encoded = content ? encodeLabelMap(content.pixels, content.width, content.height) : existing!.label_map;
  const row: AnnotationRow = {
    sample_id: sampleId,
    width: content?.width ?? existing!.width,
    height: content?.height ?? existing!.height,
    label_map: encoded,
    shapes_json: content?.shapesJson ?? existing!.shapes_json,
    author: opts.author,
    // A deletion keeps the creation time; a re-creation after one starts afresh.
    created_at: existing && (!content || existing.deleted === 0) ? existing.created_at : now,
    deleted: content ? 0 : 1,
    // A tombstone's revision keeps counting, so a merge sees the re-creation as newer than the deletion.
    revision,
    updated_at: now,
    version_id: null,
    base_revision: existing ? existing.revision : 0,
  };
  row.version_id = recordVersion(
    ctx,
    {
      kind: 'annotation',
      rowId: sampleId,
      revision,
      parents: opts.parents ?? (existing?.version_id ? [existing.version_id] : []),
      author: opts.author,
      deleted: !content,
      fields: null,
      contentHash: content
        ? annotationContentHash(content.width, content.height, content.pixels, content.shapesJson)
        : DELETED_HASH,
    },
    opts.keep && content ? { labelMap: encoded, shapesJson: content.shapesJson } : undefined,
  );
  writeAnnotationRow(ctx, row);
  noteContributor(ctx, opts.author, now);
  return row;
}

/** Insert or replace an annotation row as given (its version must already be in the history). */
export function writeAnnotationRow(ctx: Ctx, row: AnnotationRow): void {
  ctx.db
    .prepare(
      `INSERT INTO annotation (sample_id, width, height, label_map, shapes_json, author, created_at, deleted, revision, updated_at, version_id, base_revision)
    VALUES (@sample_id, @width, @height, @label_map, @shapes_json, @author, @created_at, @deleted, @revision, @updated_at, @version_id, @base_revision)
    ON CONFLICT (sample_id) DO UPDATE SET width = excluded.width, height = excluded.height, label_map = excluded.label_map,
      shapes_json = excluded.shapes_json, author = excluded.author, created_at = excluded.created_at, deleted = excluded.deleted,
      revision = excluded.revision, updated_at = excluded.updated_at, version_id = excluded.version_id, base_revision = excluded.base_revision`,
    )
    .run(row);
}

export function saveAnnotation(
  ctx: Ctx,
  sampleId: string,
  input: AnnotationInput,
  expectedRevision?: number,
): Annotation {
  const sample = requireSample(ctx, sampleId);
  const { width, height, labelMap } = input;
  if (!(labelMap instanceof Uint8Array))
    throw new UserError('The label map must be a Uint8Array of class ids, one per pixel.');
  const model = modelManifest(ctx);
  if (model && (width !== model.manifest.resolution || height !== model.manifest.resolution)) {
    throw new UserError(
      `The label map is ${width}×${height} but the model's images are ${model.manifest.resolution}×${model.manifest.resolution}; label maps cover the image pixel for pixel.`,
    );
  }
  encodeLabelMap(labelMap, width, height); // checks width·height = labelMap.length
  const unknown = unknownClassPixels(ctx, labelMap);
  if (unknown)
    throw new UserError(
      `The label map has pixels of ${unknown}, which is not a class of this project; reload the classes and save again.`,
    );
  const shapesJson = toJson(input.shapes, 'annotation shapes');
  const existing = annotationRow(ctx, sampleId);
  checkRevision(
    `annotation of sample seed ${sample.seed}`,
    existing && existing.deleted === 0 ? existing.revision : 0,
    expectedRevision,
  );
  const author = input.author ?? ctx.author ?? null;
  return toAnnotation(putAnnotationVersion(ctx, sampleId, { width, height, pixels: labelMap, shapesJson }, { author }));
}

export function decodeStoredMap(
  ctx: Ctx,
  sampleId: string,
  blob: Uint8Array,
): { width: number; height: number; pixels: Uint8Array } {
  try {
    return decodeLabelMap(blob);
  } catch (e) {
    throw new UserError(
      `The label map of sample ${sampleId} in ${ctx.file} is damaged; annotate the sample again or restore a backup.`,
      { cause: e },
    );
  }
}

export function getAnnotation(ctx: Ctx, sampleId: string): AnnotationWithMap | null {
  const r = ctx.db.prepare('SELECT * FROM annotation WHERE sample_id = ? AND deleted = 0').get(sampleId) as
    AnnotationRow | undefined;
  if (!r) return null;
  return { ...toAnnotation(r), labelMap: decodeStoredMap(ctx, sampleId, r.label_map).pixels };
}

export function listAnnotations(ctx: Ctx): AnnotationSummary[] {
  const rows = ctx.db
    .prepare(
      `SELECT a.sample_id, a.revision, a.base_revision, a.version_id, a.author, a.updated_at FROM annotation a
    JOIN sample s ON s.id = a.sample_id WHERE a.deleted = 0 AND s.deleted = 0 ORDER BY s.created_at, s.rowid`,
    )
    .all() as AnnotationRow[];
  return rows.map((r) => ({
    sampleId: r.sample_id,
    revision: r.revision,
    baseRevision: r.base_revision,
    versionId: r.version_id ?? '',
    author: r.author,
    updatedAt: r.updated_at,
  }));
}

export function deleteAnnotation(ctx: Ctx, sampleId: string, expectedRevision?: number): void {
  const r = ctx.db.prepare('SELECT revision FROM annotation WHERE sample_id = ? AND deleted = 0').get(sampleId) as
    { revision: number } | undefined;
  if (!r) return;
  checkRevision('annotation', r.revision, expectedRevision);
  putAnnotationVersion(ctx, sampleId, null, { author: ctx.author ?? null });
}
