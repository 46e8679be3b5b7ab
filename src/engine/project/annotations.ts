/**
 * Annotations: one per sample. The raster label map (label-map codec) is the source of truth; the
 * vector shapes are stored as JSON for re-editing. Saving checks the map's size against the model's
 * resolution and every pixel against the live classes, so the file never holds a pixel that means
 * nothing.
 */
import { UserError } from '../../shared/errors';
import { decodeLabelMap, encodeLabelMap } from '../../shared/label-map-codec';
import type { Annotation, AnnotationInput, AnnotationSummary, AnnotationWithMap } from '../../shared/project-types';
import { modelManifest } from './model';
import { requireSample } from './samples';
import { checkRevision, fromJson, nowIso, toJson, type Ctx } from './store';

interface AnnotationRow {
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
}

function toAnnotation(r: AnnotationRow): Annotation {
  return {
    sampleId: r.sample_id, width: r.width, height: r.height, shapes: fromJson(r.shapes_json), author: r.author,
    createdAt: r.created_at, updatedAt: r.updated_at, revision: r.revision,
  };
}

function checkPixels(ctx: Ctx, labelMap: Uint8Array): void {
  const allowed = new Uint8Array(256);
  for (const { class_index } of ctx.db.prepare('SELECT class_index FROM label_class WHERE deleted = 0').all() as { class_index: number }[]) {
    allowed[class_index] = 1;
  }
  const seen = new Uint8Array(256);
  for (let i = 0; i < labelMap.length; i++) seen[labelMap[i]] = 1;
  for (let v = 0; v < 256; v++) {
    if (seen[v] && !allowed[v]) throw new UserError(`The label map has pixels of class index ${v}, which is not a class of this project; reload the classes and save again.`);
  }
}

export function saveAnnotation(ctx: Ctx, sampleId: string, input: AnnotationInput, expectedRevision?: number): Annotation {
  const sample = requireSample(ctx, sampleId);
  const { width, height, labelMap } = input;
  if (!(labelMap instanceof Uint8Array)) throw new UserError('The label map must be a Uint8Array of class ids, one per pixel.');
  const model = modelManifest(ctx);
  if (model && (width !== model.manifest.resolution || height !== model.manifest.resolution)) {
    throw new UserError(
      `The label map is ${width}×${height} but the model's images are ${model.manifest.resolution}×${model.manifest.resolution}; label maps cover the image pixel for pixel.`,
    );
  }
  const encoded = encodeLabelMap(labelMap, width, height); // checks width·height = labelMap.length
  checkPixels(ctx, labelMap);
  const shapesJson = toJson(input.shapes, 'annotation shapes');
  const existing = ctx.db.prepare('SELECT * FROM annotation WHERE sample_id = ?').get(sampleId) as AnnotationRow | undefined;
  const liveRevision = existing && existing.deleted === 0 ? existing.revision : 0;
  checkRevision(`annotation of sample seed ${sample.seed}`, liveRevision, expectedRevision);
  const now = nowIso();
  const row: AnnotationRow = {
    sample_id: sampleId, width, height, label_map: encoded, shapes_json: shapesJson, author: input.author ?? null,
    created_at: existing && existing.deleted === 0 ? existing.created_at : now, deleted: 0,
    // A tombstone's revision keeps counting, so a merge sees the re-creation as newer than the deletion.
    revision: existing ? existing.revision + 1 : 1, updated_at: now,
  };
  ctx.db.prepare(`INSERT INTO annotation (sample_id, width, height, label_map, shapes_json, author, created_at, deleted, revision, updated_at)
    VALUES (@sample_id, @width, @height, @label_map, @shapes_json, @author, @created_at, @deleted, @revision, @updated_at)
    ON CONFLICT (sample_id) DO UPDATE SET width = excluded.width, height = excluded.height, label_map = excluded.label_map,
      shapes_json = excluded.shapes_json, author = excluded.author, created_at = excluded.created_at, deleted = 0,
      revision = excluded.revision, updated_at = excluded.updated_at`).run(row);
  return toAnnotation(row);
}

export function getAnnotation(ctx: Ctx, sampleId: string): AnnotationWithMap | null {
  const r = ctx.db.prepare('SELECT * FROM annotation WHERE sample_id = ? AND deleted = 0').get(sampleId) as AnnotationRow | undefined;
  if (!r) return null;
  let decoded;
  try {
    decoded = decodeLabelMap(r.label_map);
  } catch (e) {
    throw new UserError(`The label map of sample ${sampleId} in ${ctx.file} is damaged; annotate the sample again or restore a backup.`, { cause: e });
  }
  return { ...toAnnotation(r), labelMap: decoded.pixels };
}

export function listAnnotations(ctx: Ctx): AnnotationSummary[] {
  const rows = ctx.db.prepare(`SELECT a.sample_id, a.revision, a.author, a.updated_at FROM annotation a
    JOIN sample s ON s.id = a.sample_id WHERE a.deleted = 0 AND s.deleted = 0 ORDER BY s.created_at, s.rowid`).all() as AnnotationRow[];
  return rows.map((r) => ({ sampleId: r.sample_id, revision: r.revision, author: r.author, updatedAt: r.updated_at }));
}

export function deleteAnnotation(ctx: Ctx, sampleId: string, expectedRevision?: number): void {
  const r = ctx.db.prepare('SELECT revision FROM annotation WHERE sample_id = ? AND deleted = 0').get(sampleId) as { revision: number } | undefined;
  if (!r) return;
  checkRevision('annotation', r.revision, expectedRevision);
  ctx.db.prepare('UPDATE annotation SET deleted = 1, revision = revision + 1, updated_at = ? WHERE sample_id = ?').run(nowIso(), sampleId);
}
