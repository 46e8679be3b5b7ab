/**
 * The generator of a project: its embedded bundle, loaded on the provider the project (or DGS_PROVIDER,
 * or a command's --provider) asks for.
 */
import { UserError } from '../shared/errors';
import { bundleFromBytes, type ModelBundle } from '../engine/bundle/bundle';
import { Generator } from './generator/generator';
import type { ProviderPreference } from './runtime/execution-provider';
import type { Project } from '../engine/project';

export const PROVIDER_SETTING = 'executionProvider';

export function projectBundle(project: Project): ModelBundle {
  const model = project.getModel();
  if (!model) {
    throw new UserError(`${project.path} has no generator yet; create the project with \`dgs init <file> --model <bundle>\` (or --model default).`);
  }
  const bundle = bundleFromBytes(model.manifestJson, model.mapping, model.synthesis, `the model in ${project.path}`);
  if (bundle.sha256 !== model.sha256) {
    throw new UserError(`The model embedded in ${project.path} does not match its recorded checksum; the file is damaged — use a backup copy.`);
  }
  return bundle;
}

export function providerPreference(project: Project, override?: string): ProviderPreference {
  const v = (override ?? project.getSetting(PROVIDER_SETTING) ?? 'auto') as string;
  if (v !== 'auto' && v !== 'cpu' && v !== 'cuda') {
    throw new UserError(`The execution provider must be auto, cpu or cuda; got "${v}".`);
  }
  return v;
}

export async function loadProjectGenerator(project: Project, providerOverride?: string): Promise<Generator> {
  return Generator.load(projectBundle(project), { provider: providerPreference(project, providerOverride) }, `the model in ${project.path}`);
}
