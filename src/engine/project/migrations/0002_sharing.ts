/**
 * Schema version 2: what copies of a project need to be merged without losing work (docs/sharing.md).
 *
 * - `history`: one row per version of an annotation, a label class or a sample — its id (UUID), the
 *   version(s) it was based on, author and time. Annotations add a hash of their content; classes and
 *   samples the fields a merge combines. Two copies' histories show what each side changed since
 *   their common version.
 * - `annotation.version_id` / `label_class.version_id` / `sample.version_id`: the row's current version;
 *   `annotation.base_revision`: the revision the current one was based on (0 for a first annotation).
 * - `annotation_conflict`: versions a merge found changed on both sides, kept whole until resolved.
 * - `contributor`: who worked on the project.
 * - `sample.assignee`: the labeler a sample is assigned to (labeler copies).
 * - `interpreter.weights_sha256`: checksum of the weights, checked on load.
 *
 * Rows of a version-1 file get a first version each (no parents: what came before is unknown); a merge
 * then compares their content, so unchanged rows of two upgraded copies still match.
 */
import { createHash, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { decodeLabelMap } from '../../../shared/label-map-codec';
import { annotationContentHash, DELETED_HASH } from '../content-hash';
import type { Migration } from './types';

const SQL = `
ALTER TABLE annotation ADD COLUMN version_id TEXT;
ALTER TABLE annotation ADD COLUMN base_revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE label_class ADD COLUMN version_id TEXT;
ALTER TABLE sample ADD COLUMN version_id TEXT;
ALTER TABLE sample ADD COLUMN assignee TEXT;
ALTER TABLE interpreter ADD COLUMN weights_sha256 TEXT;
CREATE INDEX sample_assignee ON sample (assignee) WHERE deleted = 0 AND assignee IS NOT NULL;

CREATE TABLE history (
  version_id    TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('annotation', 'label_class', 'sample')),
  row_id        TEXT NOT NULL,
  revision      INTEGER NOT NULL,
  parents_json  TEXT NOT NULL CHECK (json_valid(parents_json)),
  author        TEXT,
  created_at    TEXT NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  content_hash  TEXT,
  fields_json   TEXT CHECK (fields_json IS NULL OR json_valid(fields_json)),
  label_map     BLOB,
  shapes_json   TEXT CHECK (shapes_json IS NULL OR json_valid(shapes_json))
);
CREATE INDEX history_row ON history (kind, row_id);

CREATE TABLE annotation_conflict (
  sample_id    TEXT NOT NULL REFERENCES sample (id),
  version_id   TEXT NOT NULL,
  width        INTEGER,
  height       INTEGER,
  label_map    BLOB,
  shapes_json  TEXT NOT NULL CHECK (json_valid(shapes_json)),
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  author       TEXT,
  revision     INTEGER NOT NULL,
  updated_at   TEXT NOT NULL,
  source       TEXT,
  merged_at    TEXT NOT NULL,
  PRIMARY KEY (sample_id, version_id)
);

CREATE TABLE contributor (
  name      TEXT PRIMARY KEY,
  first_at  TEXT NOT NULL,
  last_at   TEXT NOT NULL
);
`;

/** The mergeable fields of a class and of a sample, as this version stored them (history.fields_json). */
const CLASS_FIELDS =
  "json_object('name', name, 'color', color, 'hotkey', hotkey, 'locked', locked, 'deleted', deleted)";
const SAMPLE_FIELDS = "json_object('assignee', assignee, 'deleted', deleted)";

function firstVersions(db: Database.Database, table: 'label_class' | 'sample', kind: string, fields: string): void {
  const rows = db.prepare(`SELECT id, revision, updated_at, deleted, ${fields} AS fields FROM ${table}`).all() as {
    id: string;
    revision: number;
    updated_at: string;
    deleted: number;
    fields: string;
  }[];
  const insert =
    db.prepare(`INSERT INTO history (version_id, kind, row_id, revision, parents_json, created_at, deleted, fields_json)
    VALUES (?, ?, ?, ?, '[]', ?, ?, ?)`);
  const set = db.prepare(`UPDATE ${table} SET version_id = ? WHERE id = ?`);
  for (const r of rows) {
    const v = randomUUID();
    insert.run(v, kind, r.id, r.revision, r.updated_at, r.deleted, r.fields);
    set.run(v, r.id);
  }
}

export const sharing: Migration = {
  version: 2,
  description: 'history, annotation_conflict, contributor; version ids, base revision, assignee, weights checksum',
  up(db) {
    db.exec(SQL);
    firstVersions(db, 'label_class', 'label_class', CLASS_FIELDS);
    firstVersions(db, 'sample', 'sample', SAMPLE_FIELDS);
    const annotations = db
      .prepare('SELECT sample_id, label_map, shapes_json, author, revision, updated_at, deleted FROM annotation')
      .all() as {
      sample_id: string;
      label_map: Uint8Array;
      shapes_json: string;
      author: string | null;
      revision: number;
      updated_at: string;
      deleted: number;
    }[];
    const insert =
      db.prepare(`INSERT INTO history (version_id, kind, row_id, revision, parents_json, author, created_at, deleted, content_hash)
      VALUES (?, 'annotation', ?, ?, '[]', ?, ?, ?, ?)`);
    const set = db.prepare('UPDATE annotation SET version_id = ?, base_revision = ? WHERE sample_id = ?');
    for (const a of annotations) {
      let hash = DELETED_HASH;
      if (a.deleted === 0) {
        const { width, height, pixels } = decodeLabelMap(a.label_map);
        hash = annotationContentHash(width, height, pixels, a.shapes_json);
      }
      const v = randomUUID();
      insert.run(v, a.sample_id, a.revision, a.author, a.updated_at, a.deleted, hash);
      set.run(v, a.revision - 1, a.sample_id);
    }
    const weights = db.prepare('SELECT id, weights FROM interpreter').all() as { id: string; weights: Uint8Array }[];
    const setSum = db.prepare('UPDATE interpreter SET weights_sha256 = ? WHERE id = ?');
    for (const w of weights) setSum.run(createHash('sha256').update(w.weights).digest('hex'), w.id);
    // Who worked on it, as far as a version-1 file tells.
    db.exec(`INSERT INTO contributor (name, first_at, last_at)
      SELECT who, min(t), max(t) FROM (
        SELECT created_by AS who, created_at AS t FROM project
        UNION ALL SELECT author, updated_at FROM annotation
        UNION ALL SELECT creator, created_at FROM sample
      ) WHERE who IS NOT NULL AND length(trim(who)) > 0 GROUP BY who`);
  },
};
