/**
 * Samples: (model sha256, seed, ψ) plus the latents z and w as little-endian float32 blobs. A sample
 * is unique per (model, seed, ψ) among live rows; deleting one leaves a tombstone (and tombstones its
 * annotation) so a merge does not bring it back. A sample may be assigned to a labeler; assignments
 * and deletions are versions in the history (history.ts) so merges combine them.
 */
import { UserError } from '../../shared/errors';
import type { Latents, NewSample, Sample } from '../../shared/project-types';
import { cleanAuthor, noteContributor } from './contributors';
import { recordFieldsVersion } from './history';
import { requireModel } from './model';
import { blobFloat32, checkRevision, float32Blob, newId, nowIso, sqliteCode, type Ctx } from './store';

/** |ψ| above this is surely a mistake (the manifest schema allows defaultPsi up to 2). */
const MAX_ABS_PSI = 2;

interface SampleRow {
  id: string;
  seed: number;
  psi: number;
  model_sha256: string;
  creator: string | null;
  created_at: string;
  revision: number;
  annotated: number;
  assignee: string | null;
}

const SELECT = `SELECT s.id, s.seed, s.psi, s.model_sha256, s.creator, s.created_at, s.revision, s.assignee,
  EXISTS (SELECT 1 FROM annotation a WHERE a.sample_id = s.id AND a.deleted = 0) AS annotated
  FROM sample s WHERE s.deleted = 0`;

function toSample(r: SampleRow): Sample {
  return {
    id: r.id,
    seed: r.seed,
    psi: r.psi,
    modelSha256: r.model_sha256,
    creator: r.creator,
    createdAt: r.created_at,
    revision: r.revision,
    annotated: r.annotated === 1,
    assignee: r.assignee,
  };
}

/** Record a new version of a sample whose mergeable fields (assignee, deleted) just changed. */
export function recordSampleVersion(ctx: Ctx, id: string): void {
  const r = ctx.db.prepare('SELECT assignee, deleted, revision, version_id FROM sample WHERE id = ?').get(id) as {
    assignee: string | null;
    deleted: number;
    revision: number;
    version_id: string | null;
  };
  recordFieldsVersion(ctx, 'sample', id, { assignee: r.assignee, deleted: r.deleted }, r.revision, r.version_id);
}

function checkFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** Insert rows in order; the caller's transaction makes the batch all-or-nothing. */
export function addSamples(ctx: Ctx, rows: readonly NewSample[]): Sample[] {
  const { sha256, manifest } = requireModel(ctx, 'adding samples');
  const insert = ctx.db
    .prepare(`INSERT INTO sample (id, model_sha256, seed, psi, z, w, creator, created_at, deleted, revision, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?)`);
  const out: Sample[] = [];
  for (const row of rows) {
    const { seed, psi, z, w } = row;
    const what = `Sample seed ${seed}`;
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      throw new UserError(`${what} is not a whole number from 0 to 4294967295.`);
    if (!Number.isFinite(psi) || Math.abs(psi) > MAX_ABS_PSI)
      throw new UserError(`${what} has truncation ψ = ${psi}; ψ must lie between -${MAX_ABS_PSI} and ${MAX_ABS_PSI}.`);
    if (!(z instanceof Float32Array) || z.length !== manifest.zDim || !checkFinite(z)) {
      throw new UserError(`${what} needs z as ${manifest.zDim} finite float32 values (the model's zDim).`);
    }
    const wOk =
      w instanceof Float32Array &&
      (w.length === manifest.wDim || w.length === manifest.numWs * manifest.wDim) &&
      checkFinite(w);
    if (!wOk)
      throw new UserError(
        `${what} needs w as ${manifest.wDim} (or ${manifest.numWs}×${manifest.wDim}) finite float32 values.`,
      );
    const sample: Sample = {
      id: newId(),
      seed,
      psi,
      modelSha256: sha256,
      creator: row.creator ?? ctx.author ?? null,
      createdAt: nowIso(),
      revision: 1,
      annotated: false,
      assignee: null,
    };
    try {
      insert.run(
        sample.id,
        sha256,
        seed,
        psi,
        float32Blob(z),
        float32Blob(w),
        sample.creator,
        sample.createdAt,
        sample.createdAt,
      );
    } catch (e) {
      if (sqliteCode(e) === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new UserError(`${what} with ψ = ${psi} is already in the project; nothing was added.`);
      }
      throw e;
    }
    recordSampleVersion(ctx, sample.id);
    noteContributor(ctx, sample.creator, sample.createdAt);
    out.push(sample);
  }
  return out;
}

export function listSamples(ctx: Ctx): Sample[] {
  return (ctx.db.prepare(`${SELECT} ORDER BY s.created_at, s.rowid`).all() as SampleRow[]).map(toSample);
}

export function getSample(ctx: Ctx, id: string): Sample | null {
  const r = ctx.db.prepare(`${SELECT} AND s.id = ?`).get(id) as SampleRow | undefined;
  return r ? toSample(r) : null;
}

export function requireSample(ctx: Ctx, id: string): Sample {
  const s = getSample(ctx, id);
  if (!s)
    throw new UserError(
      `There is no sample with id ${id} in ${ctx.file}; it may have been deleted, so reload the gallery.`,
      { code: 'not-found' },
    );
  return s;
}

export function getLatents(ctx: Ctx, id: string): Latents {
  const r = ctx.db.prepare('SELECT z, w FROM sample WHERE id = ? AND deleted = 0').get(id) as
    { z: Uint8Array; w: Uint8Array } | undefined;
  if (!r) requireSample(ctx, id);
  return { z: blobFloat32(r!.z), w: blobFloat32(r!.w) };
}

/** Tombstone a sample (project.ts tombstones its annotation in the same transaction). */
export function deleteSample(ctx: Ctx, id: string, expectedRevision?: number): void {
  const s = requireSample(ctx, id);
  checkRevision(`sample (seed ${s.seed})`, s.revision, expectedRevision);
  ctx.db
    .prepare('UPDATE sample SET deleted = 1, revision = revision + 1, updated_at = ? WHERE id = ?')
    .run(nowIso(), id);
  recordSampleVersion(ctx, id);
}

/**
 * Assign samples to a labeler (null: unassign). Every id must be a live sample; returns how many
 * changed.
 */
export function assignSamples(ctx: Ctx, ids: readonly string[], assignee: string | null): number {
  const who = assignee === null ? null : cleanAuthor(assignee);
  const set = ctx.db.prepare(
    'UPDATE sample SET assignee = ?, revision = revision + 1, updated_at = ? WHERE id = ? AND assignee IS NOT ?',
  );
  let changed = 0;
  for (const id of new Set(ids)) {
    requireSample(ctx, id);
    if (set.run(who, nowIso(), id, who).changes === 0) continue;
    recordSampleVersion(ctx, id);
    changed++;
  }
  return changed;
}
