/**
 * The SQLite connections behind a project file: the settings every read-write connection runs with,
 * the checks every connection passes (application_id, user_version, quick_check), the migrations, and
 * copies made by SQLite itself. docs/project-file.md "Pragmas" and "Migrations".
 */
import Database from 'better-sqlite3';
import { UserError } from '../../shared/errors';
import { MIGRATIONS } from './migrations';
import { nativeBindingOption } from './native-binding';
import { APPLICATION_ID, PROJECT_KIND, SCHEMA_VERSION } from './schema';

/** How long an open waits for another connection's lock before saying the file is busy. */
export const BUSY_TIMEOUT_MS = 200;

export const CHOOSE_AGAIN = 'check that you chose the right file';

export function damaged(file: string, detail: string, cause?: unknown, details?: string): UserError {
  return new UserError(
    `${file} is damaged (${detail}); restore it from a backup copy or get a fresh copy from whoever sent it.`,
    { cause, details },
  );
}

/** The longest quote of SQLite's check output that a sentence carries. */
const MAX_QUOTE = 160;

/**
 * SQLite's quick_check answer (up to 100 problems, some rows several lines long) as one short detail
 * for the sentence — its first problem and how many more — with the whole list kept for --debug.
 */
function checkFailure(file: string, rows: { quick_check: string }[]): UserError {
  const problems = rows
    .flatMap((r) => r.quick_check.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l && !/^\*\*\* in database \w+ \*\*\*$/.test(l));
  const first = problems[0] ?? 'no answer';
  const quote = first.length > MAX_QUOTE ? `${first.slice(0, MAX_QUOTE - 1)}…` : first;
  const more = problems.length > 1 ? ` and ${problems.length - 1} more problems, listed with --debug` : '';
  return damaged(file, `SQLite's check says: ${quote}${more}`, undefined, problems.join('\n'));
}

/** Stage 2 check on an open connection (read-only or not). */
export function validateConnection(db: Database.Database, file: string): number {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (appId !== APPLICATION_ID)
    throw new UserError(
      `${file} is an SQLite database of another application, not a ${PROJECT_KIND}; ${CHOOSE_AGAIN}.`,
    );
  if (version > SCHEMA_VERSION) {
    throw new UserError(
      `${file} was saved by a newer DatasetGAN Studio (file format ${version}); update DatasetGAN Studio to open it.`,
    );
  }
  const check = db.pragma('quick_check') as { quick_check: string }[];
  if (check.length !== 1 || check[0].quick_check !== 'ok') throw checkFailure(file, check);
  return version;
}

export function openReadOnly(file: string): Database.Database {
  const db = new Database(file, {
    readonly: true,
    fileMustExist: true,
    timeout: BUSY_TIMEOUT_MS,
    ...nativeBindingOption(),
  });
  try {
    validateConnection(db, file);
    db.pragma('query_only = ON');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Run the migrations the file lacks (up to `to`), each in its own transaction with its user_version. */
export function migrate(db: Database.Database, from: number, to = SCHEMA_VERSION): void {
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > to) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/** The settings every read-write connection runs with (docs/project-file.md "Pragmas"). */
export function applyWritePragmas(db: Database.Database, exclusive: boolean): void {
  if (exclusive) db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

/**
 * `VACUUM INTO` a new file. It reads the database only, so a read-only connection may run it, but
 * `query_only` (set on every read-only open) refuses it; it is lifted for the statement alone.
 */
export function vacuumDbInto(db: Database.Database, tmp: string): void {
  const queryOnly = db.pragma('query_only', { simple: true }) === 1;
  if (queryOnly) db.pragma('query_only = OFF');
  try {
    db.prepare('VACUUM INTO ?').run(tmp);
  } finally {
    if (queryOnly) db.pragma('query_only = ON');
  }
}
