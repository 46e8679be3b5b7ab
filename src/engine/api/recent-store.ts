/**
 * The desktop app's recent projects: a small JSON file in the user's app-data folder, read with its
 * schema and version (a damaged or newer file is set aside, never trusted), written atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecentProjects } from './studio-host';

const RecentFile = z.object({
  format: z.literal('dgs-recent-projects'),
  version: z.literal(1),
  projects: z.array(z.object({ file: z.string(), name: z.string(), openedAt: z.string() })),
});

const KEEP = 12;

export function recentProjectsStore(file: string): RecentProjects {
  const read = (): z.infer<typeof RecentFile>['projects'] => {
    if (!fs.existsSync(file)) return [];
    try {
      return RecentFile.parse(JSON.parse(fs.readFileSync(file, 'utf8'))).projects;
    } catch {
      fs.renameSync(file, `${file}.unreadable`);
      return [];
    }
  };
  return {
    list: read,
    add(project, name) {
      const abs = path.resolve(project);
      const projects = [
        { file: abs, name, openedAt: new Date().toISOString() },
        ...read().filter((p) => p.file !== abs),
      ].slice(0, KEEP);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ format: 'dgs-recent-projects', version: 1, projects }, null, 2));
      fs.renameSync(tmp, file);
    },
  };
}
