/**
 * Label classes in a merge. A class both copies hold (same id) is merged field by field; a live class
 * only one side added is matched by name (case-insensitive) to the other side's; any other class of
 * theirs is added. Class indices are pixel values, so mine's never change: a class of theirs whose index
 * means something else here gets a free one, and theirs' label maps are rewritten through `indexMap`.
 */
import type Database from 'better-sqlite3';
import { UserError } from '../../../shared/errors';
import { MAX_CLASS_INDEX, type ClassRow } from '../classes';
import { nowIso, type Ctx } from '../store';
import { mergeFieldVersions, recordMerged } from './field-merge';
import type { Lineage } from './lineage';
import type { MergeReport } from './report';

function allClasses(db: Database.Database): ClassRow[] {
  return db.prepare('SELECT * FROM label_class ORDER BY position, class_index').all() as ClassRow[];
}

const key = (name: string): string => name.toLowerCase();

/**
 * Merge theirs' classes into the output (mine's copy). Returns theirs' class index → output index for
 * every class of theirs that has one here (indices of theirs' deleted classes may be missing: no live
 * pixel carries them).
 */
export function mergeClasses(
  out: Ctx,
  theirs: Database.Database,
  lineage: Lineage,
  report: MergeReport,
): Map<number, number> {
  const mine = allClasses(out.db);
  const byId = new Map(mine.map((c) => [c.id, c]));
  const indexMap = new Map<number, number>();
  const update = out.db
    .prepare(`UPDATE label_class SET name = @name, color = @color, hotkey = @hotkey, locked = @locked, deleted = @deleted,
    revision = @revision, updated_at = @updated_at, version_id = @version_id WHERE id = @id`);
  const theirsRows = allClasses(theirs);

  // 1. The same class in both copies: field by field. Renames are applied after every class is known, so
  //    that two classes can swap names without a clash on the way.
  const wanted: ClassRow[] = [];
  for (const t of theirsRows) {
    const m = byId.get(t.id);
    if (!m) continue;
    indexMap.set(t.class_index, m.class_index);
    if (!m.version_id || !t.version_id) continue;
    const merge = mergeFieldVersions(lineage, m.version_id, t.version_id);
    if (merge.bothChanged.length > 0)
      report.notes.push(
        `Class "${m.name}" was changed in both copies (${merge.bothChanged.join(', ')}); the later change was kept.`,
      );
    if (merge.take === 'mine') continue;
    const f = merge.fields as Pick<ClassRow, 'name' | 'color' | 'hotkey' | 'locked' | 'deleted'>;
    if (merge.take === 'new') recordMerged(out, lineage, 'label_class', m.id, merge);
    const revision = merge.take === 'theirs' ? t.revision : merge.merged!.revision;
    const versionId = merge.take === 'theirs' ? t.version_id : merge.merged!.versionId;
    wanted.push({
      ...m,
      name: f.name,
      color: f.color,
      hotkey: f.deleted ? null : f.hotkey,
      locked: f.locked,
      deleted: f.deleted,
      revision,
      version_id: versionId,
      updated_at: nowIso(),
    });
    if (f.name !== m.name) report.classes.renamed.push({ from: m.name, to: f.name });
    if (f.deleted && !m.deleted) report.classes.deleted.push(m.name);
  }
  const finalRows = new Map(mine.map((c) => [c.id, c]));
  for (const w of wanted) finalRows.set(w.id, w);
  // A merged name or hotkey that another live class holds keeps mine's value instead.
  for (const w of wanted) {
    const others = [...finalRows.values()].filter((c) => c.id !== w.id && c.deleted === 0);
    if (w.deleted === 0 && others.some((c) => key(c.name) === key(w.name))) {
      const m = byId.get(w.id)!;
      report.notes.push(
        `Class "${m.name}" was renamed to "${w.name}" in ${report.theirs}, a name another class has here; it keeps the name "${m.name}".`,
      );
      report.classes.renamed = report.classes.renamed.filter((r) => !(r.from === m.name && r.to === w.name));
      w.name = m.name;
    }
    if (w.hotkey !== null && others.some((c) => c.hotkey === w.hotkey)) w.hotkey = byId.get(w.id)!.hotkey;
    if (w.hotkey !== null && others.some((c) => c.hotkey === w.hotkey)) w.hotkey = null;
  }
  const park = out.db.prepare('UPDATE label_class SET name = char(1) || id, hotkey = NULL WHERE id = ?');
  for (const w of wanted) park.run(w.id);
  for (const w of wanted) update.run(w);

  // 2. Classes only theirs has: matched by name to a live class here, or added.
  const live = () => allClasses(out.db).filter((c) => c.deleted === 0);
  const usedIndex = new Set(allClasses(out.db).map((c) => c.class_index));
  let nextPosition =
    Math.max(
      -1,
      ...allClasses(out.db)
        .filter((c) => c.deleted === 0)
        .map((c) => c.position),
    ) + 1;
  const insert = out.db
    .prepare(`INSERT INTO label_class (id, class_index, name, color, hotkey, locked, position, deleted, revision, updated_at, version_id)
    VALUES (@id, @class_index, @name, @color, @hotkey, @locked, @position, @deleted, @revision, @updated_at, @version_id)`);
  const freeIndex = (): number => {
    for (let i = Math.max(...usedIndex) + 1; i <= MAX_CLASS_INDEX; i++) if (!usedIndex.has(i)) return i;
    for (let i = 1; i <= MAX_CLASS_INDEX; i++) if (!usedIndex.has(i)) return i;
    throw new UserError(
      `Merging ${report.theirs} would give the project more than ${MAX_CLASS_INDEX} classes besides background; delete classes in one copy first.`,
    );
  };
  for (const t of theirsRows) {
    if (byId.has(t.id)) continue;
    if (t.deleted === 1) {
      // A deletion of a class this copy never had: keep the tombstone where its index is free, so the index stays unused.
      if (!usedIndex.has(t.class_index)) {
        insert.run({ ...t, position: t.position });
        usedIndex.add(t.class_index);
      }
      continue;
    }
    const same = live().find((c) => key(c.name) === key(t.name));
    if (same) {
      indexMap.set(t.class_index, same.class_index);
      report.classes.matchedByName.push(t.name);
      continue;
    }
    const index = usedIndex.has(t.class_index) ? freeIndex() : t.class_index;
    usedIndex.add(index);
    const hotkey = t.hotkey !== null && live().some((c) => c.hotkey === t.hotkey) ? null : t.hotkey;
    if (hotkey !== t.hotkey)
      report.notes.push(
        `Class "${t.name}" from ${report.theirs} lost its hotkey "${t.hotkey}", which another class has here.`,
      );
    insert.run({ ...t, class_index: index, hotkey, position: nextPosition++ });
    indexMap.set(t.class_index, index);
    report.classes.added.push(t.name);
    if (index !== t.class_index) report.classes.renumbered.push({ name: t.name, from: t.class_index, to: index });
  }
  return indexMap;
}
