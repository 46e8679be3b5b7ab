/**
 * Creating a project file: everything is built under a temporary name beside the target and renamed
 * into place at the end, so an interrupted or refused creation never leaves half a project behind.
 * A model bundle is checked by compute (graphs and one forward pass) before any file exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Compute } from '../../shared/compute-api';
import { UserError } from '../../shared/errors';
import type { ClassSpec } from '../../shared/presets';
import { resolveModelArg } from '../../node/bundle/assets';
import { readBundleDir, type ModelBundle } from '../../node/bundle/bundle';
import { Project } from '../project';
import { PSI_SETTING } from '../project/model';

/** Build a new project at `file` (which must not exist) with `build`, then move it into place. */
export async function buildProjectFile(
  file: string,
  options: { name?: string; classes: ClassSpec[]; author?: string },
  build: (project: Project) => Promise<void> | void = () => undefined,
): Promise<void> {
  if (fs.existsSync(file))
    throw new UserError(`The file ${file} already exists; choose another name or delete it first.`);
  const tmp = `${file}.building`;
  fs.rmSync(tmp, { force: true });
  const project = Project.create(tmp, { ...options, name: options.name ?? path.basename(file).replace(/\.dgs$/i, '') });
  try {
    await build(project);
  } catch (e) {
    project.dispose();
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  project.dispose();
  if (fs.existsSync(file)) {
    fs.rmSync(tmp, { force: true });
    throw new UserError(`The file ${file} appeared while the project was being built; choose another name.`);
  }
  fs.renameSync(tmp, file);
}

export interface NewProjectOptions {
  file: string;
  name?: string;
  classes: ClassSpec[];
  /** A bundle folder, or 'default' for the built-in demo model; absent: no generator yet. */
  model?: string;
  author?: string;
  /** Truncation ψ for new samples and runs (default: the model's). */
  psi?: number;
}

/** Embeds the bundle after compute checked it (graphs against the manifest, one forward pass). */
export async function checkedBundle(compute: Compute, modelArg: string): Promise<ModelBundle> {
  const bundle = readBundleDir(resolveModelArg(modelArg));
  const source = {
    sha256: bundle.sha256,
    manifestJson: bundle.manifestJson,
    mapping: bundle.mapping,
    synthesis: bundle.synthesis,
  };
  await compute.model({ sha256: bundle.sha256, provider: 'cpu', source: () => source }, { verify: true });
  return bundle;
}

export async function createProject(
  compute: Compute,
  opts: NewProjectOptions,
): Promise<{ file: string; bundle: ModelBundle | null }> {
  if (fs.existsSync(opts.file))
    throw new UserError(`The file ${opts.file} already exists; choose another name or delete it first.`);
  const bundle = opts.model ? await checkedBundle(compute, opts.model) : null;
  await buildProjectFile(opts.file, { name: opts.name, classes: opts.classes, author: opts.author }, (project) => {
    if (bundle)
      project.embedModel({
        sha256: bundle.sha256,
        manifestJson: bundle.manifestJson,
        mapping: bundle.mapping,
        synthesis: bundle.synthesis,
      });
    if (opts.psi !== undefined) project.setSetting(PSI_SETTING, opts.psi);
  });
  return { file: opts.file, bundle };
}
