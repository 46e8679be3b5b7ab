/**
 * "Save a copy" of an open project (to send to another labeler, or as a backup) without closing it.
 * The copy is made by SQLite itself (`VACUUM INTO`, which also compacts it), never by copying the file's
 * bytes: reading the open file through another descriptor would drop this process's lock on it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { nativeBindingOption } from './native-binding';
import { UserError } from '../../shared/errors';
import { APPLICATION_ID } from './schema';
import type { Ctx } from './store';

export function saveCopy(ctx: Ctx, dest: string): string {
  const abs = path.resolve(dest);
  const dir = path.dirname(abs);
  if (fs.existsSync(abs)) throw new UserError(`${abs} already exists; choose another name for the copy.`);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UserError(`The folder ${dir} does not exist; create it first or choose another place for the copy.`);
  const tmp = path.join(dir, `.${path.basename(abs)}.${process.pid}.${Date.now()}.copying`);
  try {
    ctx.db.prepare('VACUUM INTO ?').run(tmp);
    const check = new Database(tmp, { readonly: true, fileMustExist: true, ...nativeBindingOption() });
    try {
      const ok = check.pragma('quick_check', { simple: true }) === 'ok' && check.pragma('application_id', { simple: true }) === APPLICATION_ID;
      if (!ok) throw new Error(`the copy of ${ctx.file} at ${tmp} failed its check`);
    } finally {
      check.close();
    }
    try {
      fs.linkSync(tmp, abs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' || fs.existsSync(abs)) throw new UserError(`${abs} already exists; choose another name for the copy.`);
      fs.renameSync(tmp, abs);
    }
    return abs;
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code.startsWith('SQLITE_CANTOPEN')) {
      throw new UserError(`A copy cannot be written in ${dir} (no permission to write there); choose another folder.`, { cause: e });
    }
    if (code === 'SQLITE_FULL' || code === 'ENOSPC') throw new UserError(`The disk holding ${dir} is full; free some space or choose another place for the copy.`, { cause: e });
    throw e;
  } finally {
    for (const leftover of [tmp, `${tmp}-journal`]) fs.rmSync(leftover, { force: true });
  }
}
