/**
 * better-sqlite3 is a native addon built for one ABI. The CLI and tests run on Node's build in
 * node_modules; the desktop app (Electron's ABI) gets its own build, which `npm start` prepares and
 * names in DGS_SQLITE_BINDING, so one checkout serves both without rebuilding back and forth.
 */
import type Database from 'better-sqlite3';

export function nativeBindingOption(): Pick<Database.Options, 'nativeBinding'> {
  const binding = process.env.DGS_SQLITE_BINDING;
  return binding ? { nativeBinding: binding } : {};
}
