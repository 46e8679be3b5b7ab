/**
 * Schema version 1: every table of a project file. docs/project-file.md explains each column.
 *
 * Conventions that make copies mergeable: UUID text keys (crypto.randomUUID), `revision` starting at 1
 * and +1 on every change, `updated_at` ISO-8601 UTC, and `deleted` tombstones (0/1) on the rows a merge
 * must not resurrect (classes, samples, annotations, interpreters, generation runs).
 */
import type { Migration } from './types';

const SQL = `
CREATE TABLE project (
  singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
  project_id   TEXT NOT NULL,
  name         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  created_by   TEXT,
  app_version  TEXT NOT NULL,
  revision     INTEGER NOT NULL DEFAULT 1,
  updated_at   TEXT NOT NULL
);

CREATE TABLE model (
  sha256         TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  manifest_json  TEXT NOT NULL CHECK (json_valid(manifest_json)),
  mapping        BLOB NOT NULL,
  synthesis      BLOB NOT NULL,
  added_at       TEXT NOT NULL,
  revision       INTEGER NOT NULL DEFAULT 1,
  updated_at     TEXT NOT NULL
);

CREATE TABLE label_class (
  id           TEXT PRIMARY KEY,
  class_index  INTEGER NOT NULL UNIQUE CHECK (class_index BETWEEN 0 AND 255),
  name         TEXT NOT NULL CHECK (length(name) > 0),
  color        TEXT NOT NULL CHECK (color GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  hotkey       TEXT,
  locked       INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  position     INTEGER NOT NULL,
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  revision     INTEGER NOT NULL DEFAULT 1,
  updated_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX label_class_live_name ON label_class (name COLLATE NOCASE) WHERE deleted = 0;
CREATE UNIQUE INDEX label_class_live_hotkey ON label_class (hotkey) WHERE deleted = 0 AND hotkey IS NOT NULL;

CREATE TABLE sample (
  id            TEXT PRIMARY KEY,
  model_sha256  TEXT NOT NULL REFERENCES model (sha256),
  seed          INTEGER NOT NULL CHECK (seed BETWEEN 0 AND 4294967295),
  psi           REAL NOT NULL,
  z             BLOB NOT NULL CHECK (length(z) % 4 = 0),
  w             BLOB NOT NULL CHECK (length(w) % 4 = 0),
  creator       TEXT,
  created_at    TEXT NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  revision      INTEGER NOT NULL DEFAULT 1,
  updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX sample_live_identity ON sample (model_sha256, seed, psi) WHERE deleted = 0;
CREATE INDEX sample_created ON sample (created_at);

CREATE TABLE annotation (
  sample_id    TEXT PRIMARY KEY REFERENCES sample (id) ON DELETE CASCADE,
  width        INTEGER NOT NULL CHECK (width > 0),
  height       INTEGER NOT NULL CHECK (height > 0),
  label_map    BLOB NOT NULL,
  shapes_json  TEXT NOT NULL CHECK (json_valid(shapes_json)),
  author       TEXT,
  created_at   TEXT NOT NULL,
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  revision     INTEGER NOT NULL DEFAULT 1,
  updated_at   TEXT NOT NULL
);

CREATE TABLE interpreter (
  id            TEXT PRIMARY KEY,
  model_sha256  TEXT NOT NULL REFERENCES model (sha256),
  config_json   TEXT NOT NULL CHECK (json_valid(config_json)),
  weights       BLOB NOT NULL,
  metrics_json  TEXT NOT NULL CHECK (json_valid(metrics_json)),
  provider      TEXT,
  wall_seconds  REAL,
  created_at    TEXT NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  revision      INTEGER NOT NULL DEFAULT 1,
  updated_at    TEXT NOT NULL
);
CREATE INDEX interpreter_created ON interpreter (created_at);

CREATE TABLE generation_run (
  id              TEXT PRIMARY KEY,
  interpreter_id  TEXT REFERENCES interpreter (id) ON DELETE SET NULL,
  config_json     TEXT NOT NULL CHECK (json_valid(config_json)),
  out_dir         TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'cancelled', 'failed', 'done')),
  progress_json   TEXT CHECK (progress_json IS NULL OR json_valid(progress_json)),
  result_json     TEXT CHECK (result_json IS NULL OR json_valid(result_json)),
  created_at      TEXT NOT NULL,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  revision        INTEGER NOT NULL DEFAULT 1,
  updated_at      TEXT NOT NULL
);
CREATE INDEX generation_run_created ON generation_run (created_at);

CREATE TABLE setting (
  key         TEXT PRIMARY KEY,
  value_json  TEXT NOT NULL CHECK (json_valid(value_json)),
  revision    INTEGER NOT NULL DEFAULT 1,
  updated_at  TEXT NOT NULL
);
`;

export const initial: Migration = {
  version: 1,
  description: 'project, model, label_class, sample, annotation, interpreter, generation_run, setting',
  up(db) {
    db.exec(SQL);
  },
};
