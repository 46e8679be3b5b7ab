/**
 * Label classes. A class's `index` is the value its pixels carry in label maps: 0 is background, and an
 * index is never reused, even after its class is deleted, so that pixels in a merged copy can never
 * silently change meaning. `position` is only the display order.
 */
import { paletteColor } from '../../shared/palette';
import { UserError } from '../../shared/errors';
import { decodeLabelMap } from '../../shared/label-map-codec';
import type { LabelClass, LabelClassPatch, LabelClassSpec, NewLabelClass } from '../../shared/project-types';
import { putAnnotationVersion } from './annotations';
import { recordFieldsVersion } from './history';
import { checkRevision, nowIso, newId, sqliteCode, type Ctx } from './store';

export const MAX_CLASS_INDEX = 255;
const MAX_NAME = 100;
const MAX_HOTKEY = 16;

export interface ClassRow {
  id: string;
  class_index: number;
  name: string;
  color: string;
  hotkey: string | null;
  locked: number;
  position: number;
  deleted: number;
  revision: number;
  updated_at: string;
  version_id?: string | null;
}

function toClass(r: ClassRow): LabelClass {
  return {
    id: r.id,
    index: r.class_index,
    name: r.name,
    color: r.color,
    hotkey: r.hotkey,
    locked: r.locked === 1,
    position: r.position,
    revision: r.revision,
    updatedAt: r.updated_at,
  };
}

function cleanName(name: unknown): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (n.length === 0 || n.length > MAX_NAME)
    throw new UserError(`A class name must be 1 to ${MAX_NAME} characters long.`);
  return n;
}

function cleanColor(color: unknown): string {
  if (typeof color !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(color)) {
    throw new UserError(`The class colour "${String(color)}" is not of the form #rrggbb (for example #ff8800).`);
  }
  return color.toLowerCase();
}

function cleanHotkey(hotkey: unknown): string | null {
  if (hotkey === null || hotkey === undefined || hotkey === '') return null;
  if (typeof hotkey !== 'string' || hotkey.length > MAX_HOTKEY || hotkey.trim() !== hotkey) {
    throw new UserError(`The hotkey "${String(hotkey)}" is not a key name (such as "1", "h" or "F2").`);
  }
  return hotkey;
}

/** Unique-index violations as sentences naming the clash. */
function explainClash(e: unknown, name: string, hotkey: string | null): unknown {
  if (sqliteCode(e) !== 'SQLITE_CONSTRAINT_UNIQUE') return e;
  const msg = (e as Error).message;
  if (msg.includes('hotkey'))
    return new UserError(`The hotkey "${hotkey}" already selects another class; choose another key.`);
  return new UserError(`There is already a class named "${name}"; class names must differ.`);
}

/** The fields a merge combines (history.fields_json of a class version). */
export function classFields(
  r: Pick<ClassRow, 'name' | 'color' | 'hotkey' | 'locked' | 'deleted'>,
): Record<string, unknown> {
  return { name: r.name, color: r.color, hotkey: r.hotkey, locked: r.locked, deleted: r.deleted };
}

/** Record a new version of a class whose mergeable fields just changed. */
export function recordClassVersion(ctx: Ctx, id: string): void {
  const r = ctx.db.prepare('SELECT * FROM label_class WHERE id = ?').get(id) as ClassRow;
  recordFieldsVersion(ctx, 'label_class', id, classFields(r), r.revision, r.version_id ?? null);
}

function rowById(ctx: Ctx, id: string): ClassRow {
  const r = ctx.db.prepare('SELECT * FROM label_class WHERE id = ? AND deleted = 0').get(id) as ClassRow | undefined;
  if (!r) throw new UserError(`There is no label class with id ${id} in ${ctx.file}; reload the class list.`);
  return r;
}

export function listClasses(ctx: Ctx): LabelClass[] {
  const rows = ctx.db
    .prepare('SELECT * FROM label_class WHERE deleted = 0 ORDER BY position, class_index')
    .all() as ClassRow[];
  return rows.map(toClass);
}

/** Add one class at the next never-used index and at the end of the display order. */
export function addClass(ctx: Ctx, spec: NewLabelClass): LabelClass {
  const name = cleanName(spec.name);
  const next = ctx.db
    .prepare(
      'SELECT coalesce(max(class_index), -1) + 1 AS i, (SELECT coalesce(max(position), -1) + 1 FROM label_class WHERE deleted = 0) AS p FROM label_class',
    )
    .get() as { i: number; p: number };
  if (next.i > MAX_CLASS_INDEX) {
    throw new UserError(
      `A project holds at most ${MAX_CLASS_INDEX} classes besides background (indices already used: 0–${MAX_CLASS_INDEX}); reuse or rename an existing class.`,
    );
  }
  const hotkey = cleanHotkey(spec.hotkey);
  const row: ClassRow = {
    id: newId(),
    class_index: next.i,
    name,
    color: spec.color === undefined ? paletteColor(next.i) : cleanColor(spec.color),
    hotkey,
    locked: spec.locked ? 1 : 0,
    position: next.p,
    deleted: 0,
    revision: 1,
    updated_at: nowIso(),
  };
  try {
    ctx.db
      .prepare(
        `INSERT INTO label_class (id, class_index, name, color, hotkey, locked, position, deleted, revision, updated_at)
      VALUES (@id, @class_index, @name, @color, @hotkey, @locked, @position, @deleted, @revision, @updated_at)`,
      )
      .run(row);
  } catch (e) {
    throw explainClash(e, name, hotkey);
  }
  recordClassVersion(ctx, row.id);
  return toClass(row);
}

/**
 * The classes of a new project, in the order given: the first is class 0 whatever its name, so that
 * the ids of a user's label maps are the positions of the names they gave (nothing is put in front).
 * Class 0 is the one small specks fold into at training (the cleanup); every preset names it
 * "background". An empty list gives a project with a black "background" only.
 */
export function insertInitialClasses(ctx: Ctx, specs: readonly NewLabelClass[]): void {
  const all = specs.length ? specs : [{ name: 'background', color: '#000000' }];
  for (const spec of all) addClass(ctx, spec);
}

export function updateClass(ctx: Ctx, id: string, patch: LabelClassPatch, expectedRevision?: number): LabelClass {
  const r = rowById(ctx, id);
  checkRevision(`class "${r.name}"`, r.revision, expectedRevision);
  const next: ClassRow = {
    ...r,
    name: patch.name === undefined ? r.name : cleanName(patch.name),
    color: patch.color === undefined ? r.color : cleanColor(patch.color),
    hotkey: patch.hotkey === undefined ? r.hotkey : cleanHotkey(patch.hotkey),
    locked: patch.locked === undefined ? r.locked : patch.locked ? 1 : 0,
  };
  if (next.name === r.name && next.color === r.color && next.hotkey === r.hotkey && next.locked === r.locked)
    return toClass(r);
  next.revision = r.revision + 1;
  next.updated_at = nowIso();
  try {
    ctx.db
      .prepare(
        'UPDATE label_class SET name = @name, color = @color, hotkey = @hotkey, locked = @locked, revision = @revision, updated_at = @updated_at WHERE id = @id',
      )
      .run(next);
  } catch (e) {
    throw explainClash(e, next.name, next.hotkey);
  }
  recordClassVersion(ctx, id);
  return toClass(next);
}

/**
 * Delete a class: a tombstone keeps its id and index, and every annotation's pixels of that class become
 * background (each such annotation gets a new revision). Background itself cannot be deleted.
 */
export function removeClass(ctx: Ctx, id: string, expectedRevision?: number): void {
  const r = rowById(ctx, id);
  checkRevision(`class "${r.name}"`, r.revision, expectedRevision);
  if (r.class_index === 0) throw new UserError('The background class (index 0) cannot be deleted; rename it instead.');
  ctx.db
    .prepare('UPDATE label_class SET deleted = 1, hotkey = NULL, revision = revision + 1, updated_at = ? WHERE id = ?')
    .run(nowIso(), id);
  recordClassVersion(ctx, id);
  clearClassPixels(ctx, r.class_index);
  renumberPositions(
    ctx,
    listClasses(ctx).map((c) => c.id),
  );
}

/** Turn a deleted class's pixels into background in every live annotation (each a new version). */
export function clearClassPixels(ctx: Ctx, classIndex: number): number {
  const maps = ctx.db.prepare('SELECT sample_id, label_map, shapes_json FROM annotation WHERE deleted = 0').all() as {
    sample_id: string;
    label_map: Uint8Array;
    shapes_json: string;
  }[];
  let changed = 0;
  for (const m of maps) {
    const { width, height, pixels } = decodeLabelMap(m.label_map);
    if (!pixels.includes(classIndex)) continue;
    for (let i = 0; i < pixels.length; i++) if (pixels[i] === classIndex) pixels[i] = 0;
    putAnnotationVersion(
      ctx,
      m.sample_id,
      { width, height, pixels, shapesJson: m.shapes_json },
      { author: ctx.author ?? null },
    );
    changed++;
  }
  return changed;
}

/** Set the display order; `ids` must name every live class once. */
export function reorderClasses(ctx: Ctx, ids: readonly string[]): LabelClass[] {
  const live = listClasses(ctx);
  const known = new Set(live.map((c) => c.id));
  if (ids.length !== live.length || new Set(ids).size !== ids.length || !ids.every((id) => known.has(id))) {
    throw new UserError('The new class order must list every class exactly once; reload the class list and try again.');
  }
  renumberPositions(ctx, ids);
  return listClasses(ctx);
}

function renumberPositions(ctx: Ctx, ids: readonly string[]): void {
  const now = nowIso();
  const move = ctx.db.prepare(
    'UPDATE label_class SET position = ?, revision = revision + 1, updated_at = ? WHERE id = ? AND position <> ?',
  );
  ids.forEach((id, position) => move.run(position, now, id, position));
}

/**
 * Make the class list equal `specs` (what a class editor's Save does): entries with an id update that
 * class, entries without one add a class, live classes not listed are deleted (as removeClass), and the
 * list order becomes the display order. Background must stay. Names and hotkeys may move between
 * classes in one call.
 */
export function setClasses(ctx: Ctx, specs: readonly LabelClassSpec[]): LabelClass[] {
  const live = new Map(listClasses(ctx).map((c) => [c.id, c]));
  const wanted = specs.map((s) => {
    const before = s.id === undefined ? undefined : live.get(s.id);
    if (s.id !== undefined && !before)
      throw new UserError(`There is no label class with id ${s.id} in ${ctx.file}; reload the class list.`);
    return {
      id: s.id,
      before,
      name: cleanName(s.name),
      color: s.color === undefined ? before?.color : cleanColor(s.color),
      hotkey: s.hotkey === undefined ? (before?.hotkey ?? null) : cleanHotkey(s.hotkey),
      locked: s.locked ?? before?.locked ?? false,
    };
  });
  const seenNames = new Set<string>();
  const seenKeys = new Set<string>();
  const seenIds = new Set<string>();
  for (const w of wanted) {
    if (seenNames.has(w.name.toLowerCase()))
      throw new UserError(`The class name "${w.name}" appears twice; class names must differ.`);
    if (w.hotkey !== null && seenKeys.has(w.hotkey))
      throw new UserError(`The hotkey "${w.hotkey}" is given to two classes; choose another key.`);
    if (w.id !== undefined && seenIds.has(w.id))
      throw new UserError('A class appears twice in the new class list; reload the class list and try again.');
    seenNames.add(w.name.toLowerCase());
    if (w.hotkey !== null) seenKeys.add(w.hotkey);
    if (w.id !== undefined) seenIds.add(w.id);
  }
  for (const c of live.values()) {
    if (seenIds.has(c.id)) continue;
    if (c.index === 0) throw new UserError('The background class (index 0) cannot be deleted; keep it in the list.');
    removeClass(ctx, c.id);
  }
  // Park changed names and hotkeys first so that two classes can swap them without a unique clash.
  const changed = wanted.filter(
    (w) =>
      w.before &&
      (w.name !== w.before.name ||
        w.color !== w.before.color ||
        w.hotkey !== w.before.hotkey ||
        w.locked !== w.before.locked),
  );
  const park = ctx.db.prepare('UPDATE label_class SET name = char(1) || id, hotkey = NULL WHERE id = ?');
  for (const w of changed) park.run(w.id);
  const now = nowIso();
  const write = ctx.db.prepare(
    'UPDATE label_class SET name = ?, color = ?, hotkey = ?, locked = ?, revision = revision + 1, updated_at = ? WHERE id = ?',
  );
  for (const w of changed) write.run(w.name, w.color, w.hotkey, w.locked ? 1 : 0, now, w.id);
  for (const w of changed) recordClassVersion(ctx, w.id!);
  const ids = wanted.map(
    (w) => w.id ?? addClass(ctx, { name: w.name, color: w.color, hotkey: w.hotkey, locked: w.locked }).id,
  );
  renumberPositions(ctx, ids);
  return listClasses(ctx);
}
