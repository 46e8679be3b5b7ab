/** What a project holds, plus where its generator runs and why (`dgs info`, the app's status bar). */
import type { Compute, ProviderChoice } from '../../shared/compute-api';
import type { ProjectInfo } from '../../shared/project-types';
import type { Project } from '../project';
import { projectModel } from '../project-model';

export async function projectInfo(project: Project, compute: Compute, provider?: string): Promise<ProjectInfo & { file: string; executionProvider: ProviderChoice | null }> {
  const info = project.info();
  const executionProvider = info.model ? await compute.model(projectModel(project, provider).ref) : null;
  return { file: project.path, ...info, executionProvider };
}
