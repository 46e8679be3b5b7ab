/**
 * A file of an older format is worked on as a migrated copy, so the original stays byte for byte as it
 * was until the upgrade is saved (docs/project-file.md "Opening", stage 4). For reading, the copy is a
 * temporary file; for editing it lives beside the original (so saving is one rename) while a connection
 * keeps the original locked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyWritePragmas, BUSY_TIMEOUT_MS, migrate, openReadOnly, vacuumDbInto } from './connection';
import { nativeBindingOption } from './native-binding';

/** An open project database as openProjectDb hands it over (see OpenedProjectDb). */
export interface Opened {
  db: Database.Database;
  release(): void;
  upgradedFrom: number | null;
  /**
   * For an older file opened for editing: the migrated copy being worked on, the connection that keeps
   * the original locked, and `keep()`, which makes release leave the copy (under a visible name, returned)
   * instead of removing it — for work that was not saved back.
   */
  upgrade: { workingCopy: string; lock: Database.Database; keep(): string } | null;
}

/** A temporary, migrated copy of an older file for reading (removed on release). */
export function upgradedReadOnlyCopy(file: string, ro: Database.Database, version: number): Opened {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-upgrade-'));
  const copy = path.join(dir, path.basename(file));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    vacuumDbInto(ro, copy);
    ro.close();
    const rw = new Database(copy, { fileMustExist: true, ...nativeBindingOption() });
    try {
      applyWritePragmas(rw, false);
      migrate(rw, version);
    } finally {
      rw.close();
    }
    return { db: openReadOnly(copy), release: cleanup, upgradedFrom: version, upgrade: null };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/** Where an older file's migrated copy lives while it is edited: beside it, so saving is one rename. */
function workingCopyPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.upgrade-${process.pid}-${Date.now()}.dgs`);
}

/** Where unsaved work on an upgraded copy is left when the project closes: beside the original, visibly. */
function keptCopyPath(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return path.join(path.dirname(file), `${path.basename(file).replace(/\.dgs$/i, '')}.upgraded-${stamp}.dgs`);
}

/** Older format, for editing: `lock` keeps the original locked and untouched; the work goes to a migrated copy. */
export function openUpgradeCopy(file: string, lock: Database.Database, version: number): Opened {
  const workingCopy = workingCopyPath(file);
  let keepAs: string | null = null;
  const cleanup = () => {
    if (keepAs && fs.existsSync(workingCopy)) fs.renameSync(workingCopy, keepAs);
    for (const f of [workingCopy, `${workingCopy}-journal`]) fs.rmSync(f, { force: true });
  };
  try {
    lock.prepare('VACUUM INTO ?').run(workingCopy);
    const db = new Database(workingCopy, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS, ...nativeBindingOption() });
    try {
      applyWritePragmas(db, true);
      db.exec('BEGIN EXCLUSIVE; COMMIT');
      migrate(db, version);
    } catch (e) {
      db.close();
      throw e;
    }
    const keep = () => (keepAs = keptCopyPath(file));
    return {
      db,
      release: () => {
        lock.close();
        cleanup();
      },
      upgradedFrom: version,
      upgrade: { workingCopy, lock, keep },
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}
