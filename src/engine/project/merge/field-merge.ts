/**
 * Field-by-field three-way merge of a class or sample changed in two copies: a field changed on one
 * side takes that side's value; a field changed on both sides to different values takes the later
 * version's (the same answer whichever copy is "mine") and is reported.
 */
import { recordVersion } from '../history';
import type { Ctx } from '../store';
import { baseFields, canonicalFields, decide, later, mergedVersionId, type Lineage } from './lineage';

export interface FieldMerge {
  /** Keep mine's version, take theirs', or record `merged` as a new version based on both. */
  take: 'mine' | 'theirs' | 'new';
  fields: Record<string, unknown>;
  /** Fields both sides changed to different values. */
  bothChanged: string[];
  merged?: { versionId: string; revision: number; parents: string[] };
}

export function mergeFieldVersions(lineage: Lineage, mineId: string, theirsId: string): FieldMerge {
  const m = lineage.get(mineId)!;
  const t = lineage.get(theirsId)!;
  const d = decide(lineage, mineId, theirsId);
  if (d === 'mine') return { take: 'mine', fields: m.fields ?? {}, bothChanged: [] };
  if (d === 'theirs') return { take: 'theirs', fields: t.fields ?? {}, bothChanged: [] };
  const base = baseFields(lineage, mineId, theirsId);
  const mf = m.fields ?? {};
  const tf = t.fields ?? {};
  const fields: Record<string, unknown> = {};
  const bothChanged: string[] = [];
  for (const key of new Set([...Object.keys(mf), ...Object.keys(tf)])) {
    const [mv, tv] = [mf[key] ?? null, tf[key] ?? null];
    if (mv === tv) fields[key] = mv;
    else if (base && mv === (base[key] ?? null)) fields[key] = tv;
    else if (base && tv === (base[key] ?? null)) fields[key] = mv;
    else {
      bothChanged.push(key);
      fields[key] = later(m, t) ? mv : tv;
    }
  }
  const content = canonicalFields(fields);
  if (content === m.content) return { take: 'mine', fields, bothChanged };
  if (content === t.content) return { take: 'theirs', fields, bothChanged };
  const parents = [mineId, theirsId];
  return {
    take: 'new',
    fields,
    bothChanged,
    merged: { versionId: mergedVersionId(parents, content), revision: Math.max(m.revision, t.revision) + 1, parents },
  };
}

/** Record a merged version in the output's history (idempotent: the id is derived from its parents and content). */
export function recordMerged(
  ctx: Ctx,
  lineage: Lineage,
  kind: 'label_class' | 'sample',
  rowId: string,
  merge: FieldMerge,
): void {
  const { versionId, revision, parents } = merge.merged!;
  if (lineage.get(versionId)) return;
  recordVersion(ctx, {
    versionId,
    kind,
    rowId,
    revision,
    parents,
    author: ctx.author ?? null,
    deleted: merge.fields.deleted === 1,
    contentHash: null,
    fields: merge.fields,
  });
  lineage.add({ versionId, kind, revision, parents, fields: merge.fields });
}
