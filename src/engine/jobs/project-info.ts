/** What a project holds, plus where its generator runs and why (`dgs info`, the app's status bar). */
import type { Compute, ProviderChoice } from '../../shared/compute-api';
import type { AnnotationConflict, ProjectInfo } from '../../shared/project-types';
import type { Project } from '../project';
import { projectModel } from '../project/model';
import { interpreterStandings, type InterpreterStanding } from '../project/interpreter-choice';

export interface ProjectReport extends ProjectInfo {
  file: string;
  /** The file's format when it is older than this build's (it is read through a migrated copy), else null. */
  upgradedFrom: number | null;
  executionProvider: ProviderChoice | null;
  /** Unresolved annotation conflicts left by merges. */
  conflicts: AnnotationConflict[];
  /** The interpreters of the project's model, newest first; `inUse` marks the one that labels for it. */
  interpreters: InterpreterStanding[];
}

export async function projectInfo(project: Project, compute: Compute, provider?: string): Promise<ProjectReport> {
  const info = project.info();
  const executionProvider = info.model ? await compute.model(projectModel(project, provider).ref) : null;
  return {
    file: project.path,
    ...info,
    upgradedFrom: project.upgradedFrom,
    executionProvider,
    conflicts: project.listConflicts(),
    interpreters: info.model ? interpreterStandings(project, info.model.sha256) : [],
  };
}
