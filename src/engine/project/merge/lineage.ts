/**
 * The union of two copies' histories as a graph of versions, and the questions a merge asks of it: what
 * did two versions of a row have in common (their latest common ancestors), and did each side change
 * the row since then (docs/sharing.md, "How a merge decides").
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { versionJson, type VersionKind } from '../history';

export interface VersionNode {
  versionId: string;
  kind: VersionKind;
  revision: number;
  parents: string[];
  /** Annotations: the content hash; classes and samples: the fields as canonical JSON. */
  content: string;
  fields: Record<string, unknown> | null;
}

interface NodeRow {
  version_id: string;
  kind: VersionKind;
  revision: number;
  parents_json: string;
  content_hash: string | null;
  fields_json: string | null;
}

function canonical(fields: Record<string, unknown> | null): string {
  if (!fields) return '';
  return JSON.stringify(
    Object.keys(fields)
      .sort()
      .map((k) => [k, fields[k]]),
  );
}

export class Lineage {
  private readonly nodes = new Map<string, VersionNode>();

  /** Add every version of a database's history (the first copy's entry wins for an id both hold); `file` names it in sentences. */
  addFrom(db: Database.Database, file: string): void {
    const rows = db
      .prepare('SELECT version_id, kind, revision, parents_json, content_hash, fields_json FROM history')
      .all() as NodeRow[];
    for (const r of rows) {
      if (this.nodes.has(r.version_id)) continue;
      const { parents, fields } = versionJson(file, r);
      this.nodes.set(r.version_id, {
        versionId: r.version_id,
        kind: r.kind,
        revision: r.revision,
        parents,
        content: r.kind === 'annotation' ? (r.content_hash ?? '') : canonical(fields),
        fields,
      });
    }
  }

  add(node: Omit<VersionNode, 'content'> & { content?: string }): void {
    this.nodes.set(node.versionId, { ...node, content: node.content ?? canonical(node.fields) });
  }

  get(id: string): VersionNode | undefined {
    return this.nodes.get(id);
  }

  /** The version and all it was based on, however far back (versions missing from both histories end the walk). */
  ancestors(id: string): Set<string> {
    const seen = new Set<string>();
    const todo = [id];
    while (todo.length > 0) {
      const v = todo.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      for (const p of this.nodes.get(v)?.parents ?? []) if (!seen.has(p)) todo.push(p);
    }
    return seen;
  }

  /**
   * The latest common ancestors of two versions: common ancestors that no other common ancestor was
   * based on. Ancestor sets are closed, so those are the common ones that are nobody's parent inside
   * the common set.
   */
  latestCommon(a: string, b: string): VersionNode[] {
    const ofA = this.ancestors(a);
    const common = [...this.ancestors(b)].filter((v) => ofA.has(v));
    const parentsInside = new Set<string>();
    for (const v of common) for (const p of this.nodes.get(v)?.parents ?? []) parentsInside.add(p);
    return common
      .filter((v) => !parentsInside.has(v))
      .map((v) => this.nodes.get(v))
      .filter((n): n is VersionNode => n !== undefined);
  }
}

/** Which side's version a row keeps, or 'both' when both changed it since their common version. */
export type Decision = 'mine' | 'theirs' | 'both';

/** Orders two versions the same way whichever copy is "mine", so merges do not depend on argument order. */
export function later(a: { versionId: string; revision: number }, b: { versionId: string; revision: number }): boolean {
  return a.revision !== b.revision ? a.revision > b.revision : a.versionId > b.versionId;
}

/**
 * Three-way decision on two versions of one row by content: equal content needs no choice (the later
 * version stays, whichever side it is from); a side whose content equals the common ancestor's did not
 * change the row, so the other side's wins; otherwise both changed it. Rows made independently on both
 * sides have no common ancestor; `emptyBase` is then the content they started from (for annotations:
 * none, which a deletion equals).
 */
export function decide(lineage: Lineage, mine: string, theirs: string, emptyBase?: string): Decision {
  if (mine === theirs) return 'mine';
  const m = lineage.get(mine);
  const t = lineage.get(theirs);
  if (!m || !t) throw new Error(`merge: version ${m ? theirs : mine} is missing from both histories`);
  if (m.content === t.content) return later(m, t) ? 'mine' : 'theirs';
  const common = lineage.latestCommon(mine, theirs);
  const base = new Set(common.length > 0 ? common.map((n) => n.content) : emptyBase === undefined ? [] : [emptyBase]);
  if (base.has(t.content)) return 'mine';
  if (base.has(m.content)) return 'theirs';
  return 'both';
}

/** The base fields for a field-by-field merge: the latest common ancestor's (the later one when there are several). */
export function baseFields(lineage: Lineage, mine: string, theirs: string): Record<string, unknown> | null {
  const common = lineage.latestCommon(mine, theirs);
  if (common.length === 0) return null;
  return common.reduce((a, b) => (later(a, b) ? a : b)).fields;
}

/** A version id that two merges of the same two versions agree on (in either order). */
export function mergedVersionId(parents: string[], content: string): string {
  const h = createHash('sha256')
    .update([...parents].sort().join('\n'))
    .update('\0')
    .update(content)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export { canonical as canonicalFields };
