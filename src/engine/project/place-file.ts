/**
 * Writing a whole new project file safely (save a copy, merge, labeler copy): it is built under a
 * temporary name in the target's folder and linked into place only when complete, so a crash never
 * leaves half a file and an existing file is never replaced — unless the caller forces it, and then by
 * one rename, never over a project that is open somewhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, isUserError } from '../../shared/errors';
import { openProjectDb } from './open-file';

/** Whether two paths name the same file (both existing), or the same path. */
export function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const [x, y] = [fs.statSync(a), fs.statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** `force` replaces an existing file; `forceHint` is how the caller's user asks for that (", or add --force to replace it"). */
export interface PlaceOptions {
  force?: boolean;
  forceHint?: string;
}

function checkTarget(target: string, { force = false, forceHint = '' }: PlaceOptions): void {
  const dir = path.dirname(target);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UserError(
      `The folder ${dir} does not exist; create it first or choose another place for ${path.basename(target)}.`,
    );
  }
  if (!fs.existsSync(target)) return;
  if (fs.statSync(target).isDirectory())
    throw new UserError(
      `The path ${target} is a folder; name a file (for example ${path.join(target, 'merged.dgs')}).`,
    );
  if (!force) throw new UserError(`The file ${target} already exists; choose another name${forceHint}.`);
  // Replacing a project that someone has open would pull the file from under them.
  try {
    const opened = openProjectDb(target, { readonly: false });
    opened.db.close();
    opened.release();
  } catch (e) {
    if (isUserError(e) && /is open in another DatasetGAN Studio window or command/.test(e.message)) throw e;
  }
}

/** A temporary file of placeNewFile: `.<name>.<pid>.<ms>.writing`, and SQLite's `-journal` beside it. */
const TEMPORARY = /^\..+\.(\d+)\.\d+\.writing(-journal)?$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temporaries that a killed merge or copy left in `dir` (its process is gone, so nobody will
 * finish them). Those of live processes — another command writing there now — are left alone.
 */
function removeLeftovers(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMPORARY.exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Build a file at `target` through `build(tmp)`; returns the target. */
export function placeNewFile(target: string, opts: PlaceOptions, build: (tmp: string) => void): string {
  const abs = path.resolve(target);
  checkTarget(abs, opts);
  const force = opts.force === true;
  const dir = path.dirname(abs);
  removeLeftovers(dir);
  const tmp = path.join(dir, `.${path.basename(abs)}.${process.pid}.${Date.now()}.writing`);
  try {
    build(tmp);
    if (force) {
      fs.renameSync(tmp, abs);
    } else {
      try {
        fs.linkSync(tmp, abs); // fails with EEXIST instead of replacing a file made meanwhile
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST' || fs.existsSync(abs))
          throw new UserError(`The file ${abs} already exists; choose another name${opts.forceHint ?? ''}.`);
        fs.renameSync(tmp, abs); // file systems without hard links: checked just above
      }
    }
    return abs;
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code.startsWith('SQLITE_CANTOPEN')) {
      throw new UserError(
        `The file ${path.basename(abs)} cannot be written in ${dir} (no permission to write there); choose another folder.`,
        { cause: e },
      );
    }
    if (code === 'SQLITE_FULL' || code === 'ENOSPC')
      throw new UserError(`The disk holding ${dir} is full; free some space or choose another place.`, { cause: e });
    throw e;
  } finally {
    for (const leftover of [tmp, `${tmp}-journal`]) fs.rmSync(leftover, { force: true });
  }
}
