/**
 * The rest of a merge: the union of the histories, interpreters and generation runs from both copies
 * (a deletion spreads), settings and the project's name (the later change wins, the same way in either
 * order), and the contributors.
 */
import type Database from 'better-sqlite3';
import type { HistoryRow } from '../history';
import type { Ctx } from '../store';
import type { PixelRemap } from './remap';
import type { MergeReport } from './report';

/** Theirs' history joins the output's; annotation versions follow their sample to its id here, kept pixels are rewritten. */
export function unionHistory(out: Ctx, theirs: Database.Database, idMap: Map<string, string>, remap: PixelRemap): void {
  const insert = out.db
    .prepare(`INSERT OR IGNORE INTO history (version_id, kind, row_id, revision, parents_json, author, created_at, deleted, content_hash, fields_json, label_map, shapes_json)
    VALUES (@version_id, @kind, @row_id, @revision, @parents_json, @author, @created_at, @deleted, @content_hash, @fields_json, @label_map, @shapes_json)`);
  for (const r of theirs.prepare('SELECT * FROM history').iterate() as IterableIterator<HistoryRow>) {
    if (r.kind !== 'annotation') {
      insert.run(r);
      continue;
    }
    insert.run({
      ...r,
      row_id: idMap.get(r.row_id) ?? r.row_id,
      label_map: remap.blob(r.label_map),
      shapes_json: remap.shapes(r.shapes_json),
    });
  }
}

interface Revised {
  revision: number;
  updated_at: string;
}

/** The later of two states of a row with no history: higher revision, then later time, then content. */
function theirsIsLater(m: Revised, t: Revised, mContent: string, tContent: string): boolean {
  if (m.revision !== t.revision) return t.revision > m.revision;
  if (m.updated_at !== t.updated_at) return t.updated_at > m.updated_at;
  return tContent > mContent;
}

export function mergeInterpreters(out: Ctx, theirs: Database.Database, report: MergeReport): void {
  const mine = new Map(
    (
      out.db.prepare('SELECT id, revision, updated_at, deleted FROM interpreter').all() as (Revised & {
        id: string;
        deleted: number;
      })[]
    ).map((r) => [r.id, r]),
  );
  const insert = out.db
    .prepare(`INSERT INTO interpreter (id, model_sha256, config_json, weights, metrics_json, provider, wall_seconds, created_at, deleted, revision, updated_at, weights_sha256)
    VALUES (@id, @model_sha256, @config_json, @weights, @metrics_json, @provider, @wall_seconds, @created_at, @deleted, @revision, @updated_at, @weights_sha256)`);
  const tombstone = out.db.prepare(
    "UPDATE interpreter SET deleted = 1, weights = X'', revision = ?, updated_at = ? WHERE id = ?",
  );
  // An interpreter's only change while live is its metrics (the report that follows the ensemble).
  const metrics = out.db.prepare(
    'UPDATE interpreter SET metrics_json = ?, wall_seconds = ?, revision = ?, updated_at = ? WHERE id = ?',
  );
  for (const t of theirs.prepare('SELECT * FROM interpreter').iterate() as IterableIterator<
    Record<string, unknown> & Revised & { id: string; deleted: number }
  >) {
    const m = mine.get(t.id);
    if (!m) {
      insert.run(t);
      if (t.deleted === 0) report.interpreters.added++;
    } else if (t.deleted === 1 && m.deleted === 0) {
      tombstone.run(Math.max(m.revision, t.revision), t.updated_at, t.id);
    } else if (t.deleted === 0 && m.deleted === 0 && theirsIsLater(m, t, '', '')) {
      metrics.run(t.metrics_json, t.wall_seconds, t.revision, t.updated_at, t.id);
    }
  }
}

interface RunRow extends Revised {
  id: string;
  deleted: number;
  status: string;
  progress_json: string | null;
  result_json: string | null;
}

export function mergeGenerationRuns(out: Ctx, theirs: Database.Database, report: MergeReport): void {
  const mine = new Map((out.db.prepare('SELECT * FROM generation_run').all() as RunRow[]).map((r) => [r.id, r]));
  const insert = out.db
    .prepare(`INSERT INTO generation_run (id, interpreter_id, config_json, out_dir, status, progress_json, result_json, created_at, deleted, revision, updated_at)
    VALUES (@id, @interpreter_id, @config_json, @out_dir, @status, @progress_json, @result_json, @created_at, @deleted, @revision, @updated_at)`);
  const update = out.db
    .prepare(`UPDATE generation_run SET status = @status, progress_json = @progress_json, result_json = @result_json, deleted = @deleted,
    revision = @revision, updated_at = @updated_at WHERE id = @id`);
  const state = (r: RunRow) => JSON.stringify([r.deleted, r.status, r.progress_json, r.result_json]);
  for (const t of theirs.prepare('SELECT * FROM generation_run').iterate() as IterableIterator<RunRow>) {
    const m = mine.get(t.id);
    if (!m) {
      insert.run(t);
      if (t.deleted === 0) report.generationRuns.added++;
    } else if (state(m) !== state(t) && theirsIsLater(m, t, state(m), state(t))) {
      update.run(t);
    }
  }
}

export function mergeSettings(out: Ctx, theirs: Database.Database): void {
  const mine = new Map(
    (out.db.prepare('SELECT * FROM setting').all() as (Revised & { key: string; value_json: string })[]).map((r) => [
      r.key,
      r,
    ]),
  );
  const put = out.db
    .prepare(`INSERT INTO setting (key, value_json, revision, updated_at) VALUES (@key, @value_json, @revision, @updated_at)
    ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, revision = excluded.revision, updated_at = excluded.updated_at`);
  for (const t of theirs.prepare('SELECT * FROM setting').iterate() as IterableIterator<
    Revised & { key: string; value_json: string }
  >) {
    const m = mine.get(t.key);
    if (!m || (m.value_json !== t.value_json && theirsIsLater(m, t, m.value_json, t.value_json))) put.run(t);
  }
}

/** The project keeps mine's identity; a rename made later in theirs wins. Contributors: everyone from both. */
export function mergeProjectRow(out: Ctx, theirs: Database.Database, opts: { keepName?: boolean } = {}): void {
  const m = out.db.prepare('SELECT name, revision, updated_at FROM project').get() as Revised & { name: string };
  const t = theirs.prepare('SELECT name, revision, updated_at FROM project').get() as Revised & { name: string };
  // Another project's name is not a rename of this one (an --unrelated merge keeps mine's).
  if (!opts.keepName && m.name !== t.name && theirsIsLater(m, t, m.name, t.name)) {
    out.db.prepare('UPDATE project SET name = ?, revision = ?, updated_at = ?').run(t.name, t.revision, t.updated_at);
  }
  const add = out.db.prepare(`INSERT INTO contributor (name, first_at, last_at) VALUES (@name, @first_at, @last_at)
    ON CONFLICT (name) DO UPDATE SET first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)`);
  for (const c of theirs.prepare('SELECT name, first_at, last_at FROM contributor').iterate()) add.run(c);
}
