/**
 * Where the browser studio (`dgs serve`) may read and write the paths a user types: inside the project's
 * folder and the folders given with --allow-dir, nowhere else (`dgs serve --help` says so). A relative
 * path is taken from the project's folder. Symbolic links are followed before judging, so a link inside
 * a folder cannot lead out of it, and a path outside gets the same sentence whether or not it exists.
 * The desktop app takes every path as typed or chosen: it is the user's own machine and dialogs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../shared/errors';

/** What a path is for: a dataset folder, a labeler copy, a copy to merge, a model bundle or checkpoint. */
export type PlaceUse = 'output' | 'copy' | 'merge' | 'model';

const WHAT: Record<PlaceUse, string> = {
  output: 'writes datasets only inside',
  copy: 'saves copies only inside',
  merge: 'merges only copies that are inside',
  model: 'reads models and checkpoints only inside',
};

/** `p` with its nearest existing ancestor's symbolic links resolved. */
function realPlace(p: string): string {
  const rest: string[] = [];
  let probe = p;
  while (!fs.existsSync(probe)) {
    const parent = path.dirname(probe);
    if (parent === probe) break;
    rest.unshift(path.basename(probe));
    probe = parent;
  }
  return path.join(fs.realpathSync(probe), ...rest);
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  // '..x' is a name inside; '..' alone or '../…' leads out.
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** The place function of HostServices for folders `roots` (the first one holds the project). */
export function confinedPlaces(roots: readonly string[]): (typed: string, use: PlaceUse) => string {
  const absRoots = roots.map((r) => path.resolve(r));
  return (typed, use) => {
    const real = realPlace(path.resolve(absRoots[0], typed));
    if (absRoots.some((r) => inside(realPlace(r), real))) return real;
    const list = absRoots.length === 1 ? absRoots[0] : absRoots.join(', ');
    throw new UserError(
      `This studio ${WHAT[use]} ${list}; choose a place there, or start \`dgs serve\` with --allow-dir for another folder.`,
    );
  };
}

/** The desktop app's place function: the path as chosen. */
export function anyPlace(typed: string): string {
  return path.resolve(typed);
}
