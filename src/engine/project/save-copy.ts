/**
 * "Save a copy" of an open project (to send to another labeler, or as a backup) without closing it.
 * The copy is made by SQLite itself (`VACUUM INTO`, which also compacts it), never by copying the file's
 * bytes: reading the open file through another descriptor would drop this process's lock on it.
 */
import Database from 'better-sqlite3';
import { nativeBindingOption } from './native-binding';
import { vacuumDbInto } from './connection';
import { placeNewFile } from './place-file';
import { APPLICATION_ID } from './schema';
import type { Ctx } from './store';

/** Write a compacted, checked copy of the open project to `tmp` (a path that does not exist). */
export function vacuumInto(ctx: Ctx, tmp: string): void {
  vacuumDbInto(ctx.db, tmp);
  const check = new Database(tmp, { readonly: true, fileMustExist: true, ...nativeBindingOption() });
  try {
    const ok =
      check.pragma('quick_check', { simple: true }) === 'ok' &&
      check.pragma('application_id', { simple: true }) === APPLICATION_ID;
    if (!ok) throw new Error(`the copy of ${ctx.file} at ${tmp} failed its check`);
  } finally {
    check.close();
  }
}

export function saveCopy(ctx: Ctx, dest: string, opts: { force?: boolean; forceHint?: string } = {}): string {
  return placeNewFile(dest, { force: opts.force, forceHint: opts.forceHint ?? ' for the copy' }, (tmp) =>
    vacuumInto(ctx, tmp),
  );
}
