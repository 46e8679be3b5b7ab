/**
 * The API's main-side implementation, independent of the transport (Electron IPC today, HTTP for
 * `dgs serve`). Each handler takes a validated request and returns a response matching the schema.
 */
import { createRequire } from 'node:module';
import type { ApiChannel, ApiRequest, ApiResponse, ProjectSummary } from '../../shared/api';
import { Project } from '../project';

const require = createRequire(import.meta.url);

export interface HostServices {
  /** Ask the user for a project file; null when they cancel. */
  chooseProjectFile(): Promise<string | null>;
}

export function projectSummary(file: string): ProjectSummary {
  const project = Project.open(file, { readonly: true });
  try {
    const info = project.info();
    return {
      file: project.path,
      name: info.name,
      schemaVersion: info.schemaVersion,
      model: info.model ? { sha256: info.model.sha256, name: info.model.name, architecture: info.model.architecture, resolution: info.model.resolution } : null,
      classes: info.classes.map((c) => ({ index: c.index, name: c.name, color: c.color, hotkey: c.hotkey })),
      counts: info.counts,
    };
  } finally {
    project.close();
  }
}

export type Handlers = { [C in ApiChannel]: (request: ApiRequest<C>) => Promise<ApiResponse<C>> };

export function createHandlers(host: HostServices): Handlers {
  return {
    'app:info': async () => ({ version: (require('../../../package.json') as { version: string }).version, platform: process.platform }),
    'project:choose-and-open': async () => {
      const file = await host.chooseProjectFile();
      return file ? projectSummary(file) : null;
    },
    'project:summary': async ({ file }) => projectSummary(file),
  };
}
