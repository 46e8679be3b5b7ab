import type Database from 'better-sqlite3';

/**
 * One step of the schema. `up` runs inside a transaction that also sets user_version = `version`, so a
 * file is always at exactly one version. foreign_keys is ON while it runs: a step that rebuilds a table
 * must create the new table, copy, drop and rename in an order the constraints allow.
 */
export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}
