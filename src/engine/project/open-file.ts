/**
 * Opening and creating project files safely (DESIGN §4, docs/project-file.md "Opening").
 *
 * Opening goes in stages, and a file refused at any stage is never written to:
 *  1. plain file checks and the raw 100-byte header (SQLite magic, application_id, user_version, size);
 *  2. a read-only SQLite connection re-reads application_id / user_version and runs `quick_check`;
 *  3. only then, for editing, a read-write connection in `locking_mode=EXCLUSIVE` takes the write lock
 *     at once (`BEGIN EXCLUSIVE; COMMIT`). The OS lock lives as long as the process, so a second window
 *     or command gets "open elsewhere", and a killed process frees the file.
 *  4. older schemas are migrated on a copy, one transaction per step; the original stays untouched
 *     (and locked) until the upgrade is saved.
 * A rollback journal left by a crash is rolled back by SQLite in stage 3 (a write, but only to a file
 * whose header already proved it is one of ours, and exactly what SQLite itself would do).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { nativeBindingOption } from './native-binding';
import { UserError } from '../../shared/errors';
import {
  applyWritePragmas,
  BUSY_TIMEOUT_MS,
  CHOOSE_AGAIN,
  damaged,
  migrate,
  openReadOnly,
  validateConnection,
} from './connection';
import { APPLICATION_ID, PROJECT_KIND, SCHEMA_VERSION } from './schema';
import { mayHaveHotJournal, missingBytes, readSqliteHeader } from './sqlite-header';
import { sqliteCode } from './store';
import { openUpgradeCopy, upgradedReadOnlyCopy, type Opened } from './upgrade-copy';

export { migrate, vacuumDbInto } from './connection';

function openElsewhere(file: string, cause?: unknown): UserError {
  return new UserError(`${file} is open in another DatasetGAN Studio window or command; close it there first.`, {
    cause,
  });
}

/** SQLite errors met while opening, as the sentence that tells the user what to do. */
function explainOpenFailure(e: unknown, file: string): unknown {
  const code = sqliteCode(e);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return openElsewhere(file, e);
  if (code === 'SQLITE_NOTADB')
    return new UserError(`${file} is not a ${PROJECT_KIND}; ${CHOOSE_AGAIN}.`, { cause: e });
  if (code.startsWith('SQLITE_CORRUPT')) return damaged(file, 'SQLite reports a malformed database', e);
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new UserError(
      `${file} cannot be opened (no permission, or its folder is not accessible); check its permissions.`,
      { cause: e },
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new UserError(
      `${file} could not be read (a disk or network error); check the drive, or copy the file to a local disk.`,
      { cause: e },
    );
  }
  if (code === 'SQLITE_FULL')
    return new UserError(`The disk holding ${file} is full; free some space and open it again.`, { cause: e });
  return e;
}

function isWritable(target: string, mode: number): boolean {
  // Root passes access(W_OK) on any file, so a file with no write bit at all also counts as read-only:
  // the user made it so on purpose.
  if ((mode & 0o222) === 0) return false;
  try {
    fs.accessSync(target, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Files this process holds open for editing, by device and inode. POSIX drops every lock a process
 * holds on a file as soon as *any* descriptor of that file is closed in that process, so a second open
 * here must not even read the header: it is answered from this set instead.
 */
const openForEditing = new Set<string>();

function statProjectPath(file: string): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UserError(`${file} does not exist; check the path, or create a new project there.`);
  }
  if (stat.isDirectory()) throw new UserError(`${file} is a folder, not a project file; choose a .dgs file.`);
  if (!stat.isFile()) throw new UserError(`${file} is not a regular file; ${CHOOSE_AGAIN}.`);
  return stat;
}

/** Stage 1: everything that can be judged without SQLite. */
function checkHeader(file: string): void {
  let verdict;
  try {
    verdict = readSqliteHeader(file);
  } catch (e) {
    throw new UserError(`${file} cannot be read (no permission, or a disk error); check its permissions.`, {
      cause: e,
    });
  }
  if (verdict.kind === 'empty')
    throw new UserError(`${file} is an empty file, not a ${PROJECT_KIND}; ${CHOOSE_AGAIN}.`);
  if (verdict.kind === 'not-sqlite') {
    throw new UserError(`${file} is not a ${PROJECT_KIND} (it is not even an SQLite database); ${CHOOSE_AGAIN}.`);
  }
  const h = verdict.header;
  if (h.applicationId !== APPLICATION_ID) {
    throw new UserError(
      `${file} is an SQLite database of another application, not a ${PROJECT_KIND}; ${CHOOSE_AGAIN}.`,
    );
  }
  if (h.userVersion > SCHEMA_VERSION) {
    throw new UserError(
      `${file} was saved by a newer DatasetGAN Studio (file format ${h.userVersion}; this version reads up to ${SCHEMA_VERSION}); update DatasetGAN Studio to open it.`,
    );
  }
  if (h.userVersion < 1) throw damaged(file, 'it has no schema version');
  if (h.writeVersion !== 1) {
    throw new UserError(
      `${file} was switched to WAL journaling by another tool, which project files never use; convert it back by running PRAGMA journal_mode=DELETE on it in the sqlite3 shell.`,
    );
  }
  // With a hot journal the file may be legitimately half-written until SQLite rolls it back.
  if (!mayHaveHotJournal(file)) {
    const missing = missingBytes(h);
    if (missing > 0) {
      throw new UserError(
        `${file} is truncated (${missing} bytes are missing), probably by an interrupted copy or download; copy it again from where it came from.`,
      );
    }
  }
}

/**
 * An open project database. `release()` (after closing `db`) forgets that this process has the file
 * open for editing; `upgradedFrom` is the file's format when it is older than this build's (`db` is then
 * a migrated copy, see upgrade-copy.ts).
 */
export interface OpenedProjectDb extends Opened {
  /** Why a file asked for editing was opened read-only instead (allowReadonly), or null. */
  readonlyReason: string | null;
}

export interface OpenDbOptions {
  readonly: boolean;
  /** Open a file that cannot be written (read-only file, folder or share) read-only instead of refusing it. */
  allowReadonly?: boolean;
}

/** Why a file cannot be edited where it is: the refusal and the read-only banner, or null when it can. */
function whyNotWritable(file: string, stat: fs.Stats): { refusal: string; banner: string } | null {
  if (!isWritable(file, stat.mode)) {
    return {
      refusal: `${file} is read-only; open it read-only to look at it, or make it writable (or copy it somewhere you can write) to edit it.`,
      banner: `The file ${file} is read-only, so the project was opened read-only: it can be looked at, not changed.`,
    };
  }
  if (!isWritable(path.dirname(file), fs.statSync(path.dirname(file)).mode)) {
    return {
      refusal: `The folder holding ${file} is read-only, so changes could not be saved safely; open the project read-only, or copy it to a folder you can write to.`,
      banner: `The folder holding ${file} is read-only (a read-only share?), so the project was opened read-only: it can be looked at, not changed.`,
    };
  }
  return null;
}

/**
 * Open a project file's database after every safety check. Throws UserError with one sentence for
 * each way a file can be unusable; `file` should be absolute so sentences name it unambiguously.
 * A file of an older format is migrated on a copy: the original stays as it was until the upgrade is
 * saved (replaceWithUpgrade).
 */
export function openProjectDb(file: string, options: OpenDbOptions): OpenedProjectDb {
  const stat = statProjectPath(file);
  const key = `${stat.dev}:${stat.ino}`;
  if (openForEditing.has(key)) throw openElsewhere(file);
  checkHeader(file);
  let readonly = options.readonly;
  let readonlyReason: string | null = null;
  if (!readonly) {
    const why = whyNotWritable(file, stat);
    if (why && !options.allowReadonly) throw new UserError(why.refusal);
    if (why) [readonly, readonlyReason] = [true, why.banner];
  }
  const opened = readonly ? openReadOnlyProject(file) : openForEdit(file);
  if (readonly) return { ...opened, readonlyReason };
  openForEditing.add(key);
  const release = opened.release;
  return {
    ...opened,
    readonlyReason,
    release: () => {
      release();
      openForEditing.delete(key);
    },
  };
}

function openReadOnlyProject(file: string): Opened {
  try {
    const ro = openReadOnly(file);
    const version = ro.pragma('user_version', { simple: true }) as number;
    if (version < SCHEMA_VERSION) return upgradedReadOnlyCopy(file, ro, version);
    return { db: ro, release: () => undefined, upgradedFrom: null, upgrade: null };
  } catch (e) {
    if (sqliteCode(e) === 'SQLITE_READONLY_ROLLBACK') {
      throw new UserError(
        `${file} was not closed properly and needs a repair that writes to it; open it once for editing (not read-only) to repair it.`,
        { cause: e },
      );
    }
    throw explainOpenFailure(e, file);
  }
}

function openForEdit(file: string): Opened {
  try {
    try {
      openReadOnly(file).close();
    } catch (e) {
      if (sqliteCode(e) !== 'SQLITE_READONLY_ROLLBACK') throw e;
      // Hot journal: let SQLite roll the interrupted transaction back, then validate the result.
      const repair = new Database(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS, ...nativeBindingOption() });
      try {
        repair.pragma('user_version');
      } finally {
        repair.close();
      }
      openReadOnly(file).close();
    }
    const db = new Database(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS, ...nativeBindingOption() });
    try {
      applyWritePragmas(db, true);
      db.exec('BEGIN EXCLUSIVE; COMMIT');
      const version = validateConnection(db, file);
      if (version === SCHEMA_VERSION) return { db, release: () => undefined, upgradedFrom: null, upgrade: null };
      return openUpgradeCopy(file, db, version);
    } catch (e) {
      db.close();
      throw e;
    }
  } catch (e) {
    throw explainOpenFailure(e, file);
  }
}

/**
 * Save an upgraded project: its migrated copy replaces the original in one rename, and the file is
 * opened again as a current one. `opened.db` must be closed (no transaction open) before the call.
 */
export function replaceWithUpgrade(file: string, opened: OpenedProjectDb): OpenedProjectDb {
  if (!opened.upgrade) throw new Error('replaceWithUpgrade: the project was not upgraded');
  const { workingCopy } = opened.upgrade;
  fs.renameSync(workingCopy, fs.realpathSync(file));
  try {
    return openProjectDb(file, { readonly: false });
  } finally {
    opened.release(); // the old lock (on the replaced file); the working copy is gone already
  }
}

/**
 * Make a new project file at `file` by building it under a temporary name in the same folder and
 * linking it into place, so a crash never leaves a half-made project and an existing file is never
 * replaced. `fill` writes the first rows inside the same transaction as the schema.
 */
export function createProjectFile(file: string, fill: (db: Database.Database) => void): void {
  const dir = path.dirname(file);
  if (fs.existsSync(file))
    throw new UserError(`${file} already exists; choose another name, or open that project instead.`);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UserError(`The folder ${dir} does not exist; create it first or choose another place for the project.`);
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.creating`);
  try {
    const db = new Database(tmp, { timeout: BUSY_TIMEOUT_MS, ...nativeBindingOption() });
    try {
      applyWritePragmas(db, false);
      db.transaction(() => {
        db.pragma(`application_id = ${APPLICATION_ID}`);
        migrate(db, 0);
        fill(db);
      })();
    } finally {
      db.close();
    }
    try {
      fs.linkSync(tmp, file); // fails with EEXIST instead of replacing a file made meanwhile
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST')
        throw new UserError(`${file} already exists; choose another name, or open that project instead.`);
      // File systems without hard links (FAT, some network shares): rename, having checked just above.
      if (fs.existsSync(file))
        throw new UserError(`${file} already exists; choose another name, or open that project instead.`);
      fs.renameSync(tmp, file);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || sqliteCode(e).startsWith('SQLITE_CANTOPEN')) {
      throw new UserError(
        `A project cannot be created in ${dir} (no permission to write there); choose another folder.`,
        { cause: e },
      );
    }
    throw e;
  } finally {
    for (const leftover of [tmp, `${tmp}-journal`]) fs.rmSync(leftover, { force: true });
  }
}
