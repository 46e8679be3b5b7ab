/**
 * The host services of the browser studio (`dgs serve`): no dialogs; the one project file it was
 * started with, opened or created; and paths the user types confined to the project's folder and the
 * folders given with --allow-dir (confined-places.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../shared/errors';
import { confinedPlaces } from './confined-places';
import type { HostServices } from './studio-host';

export function servedServices(file: string, allowDirs: readonly string[] = []): HostServices {
  const only = path.resolve(file);
  return {
    transport: 'web',
    // The browser has no file dialog: "Open project" can open only the file the server was given.
    chooseProjectFile: async () => {
      if (fs.existsSync(only)) return only;
      throw new UserError(
        `This studio serves one project, ${only}, which does not exist yet; create it with New project, or restart \`dgs serve\` with another project file.`,
      );
    },
    chooseNewProjectFile: async () => (fs.existsSync(only) ? null : only),
    chooseFolder: async () => null,
    chooseFile: async () => null,
    chooseSaveFile: async () => null,
    openFolder: async () => {
      throw new UserError('The browser cannot open folders on the server; open the folder there.');
    },
    mayUseProject: (f) => path.resolve(f) === only,
    place: confinedPlaces([path.dirname(only), ...allowDirs]),
    recent: {
      list: () =>
        fs.existsSync(only)
          ? [{ file: only, name: path.basename(only, '.dgs'), openedAt: new Date().toISOString() }]
          : [],
      add: () => undefined,
    },
  };
}
