/**
 * An output folder given by the user (--out of sample, label export, generate, manifest merge): a path
 * that exists must be a folder, and a path through a file is no folder at all. Said in a sentence
 * before anything is written, instead of the file system's ENOTDIR or EEXIST.
 */
import fs from 'node:fs';
import { UserError } from '../../shared/errors';

export function checkOutputFolder(dir: string, what: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR')
      throw new UserError(
        `${dir} cannot be a folder, because part of its path is a file; choose another place for ${what}.`,
      );
    return; // missing: it is created
  }
  if (!stat.isDirectory())
    throw new UserError(`${dir} is a file, not a folder; choose a folder for ${what} (it is created when missing).`);
}
