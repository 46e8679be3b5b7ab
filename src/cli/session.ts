/**
 * What a command works on: an open project and the compute service in this process (the CLI's job is
 * its process, so onnxruntime may block it). Both are released however the command ends.
 */
import { openLocalCompute, providerForcedBy } from '../compute';
import type { Compute } from '../shared/compute-api';
import { isUserError, UserError } from '../shared/errors';
import { Project } from '../engine/project';
import { projectModel, providerPreference } from '../engine/project/model';
import { relaunchInsteadOfComputing } from './relaunch';

export async function withCompute<T>(fn: (compute: Compute) => Promise<T>): Promise<T> {
  relaunchInsteadOfComputing();
  const compute = openLocalCompute({ forceProvider: providerForcedBy(process.env) });
  try {
    return await fn(compute);
  } finally {
    await compute.dispose();
  }
}

export interface SessionOptions {
  readonly?: boolean;
  /** Who makes the changes (recorded in the project's history). */
  author?: string | null;
  /** The command's --provider, and where to say so when CUDA was asked for but the CPU runs instead. */
  provider?: string;
  err?: NodeJS.WritableStream;
}

/** CUDA asked for (by --provider, DGS_PROVIDER or the project) but not available: one line saying why, before the work starts. */
async function noteProviderFallback(project: Project, compute: Compute, opts: SessionOptions): Promise<void> {
  if (!opts.err || !project.getModel()) return;
  const asked = providerForcedBy(process.env)?.preference ?? providerPreference(project, opts.provider);
  if (asked !== 'cuda') return;
  const choice = await compute.model(projectModel(project, opts.provider).ref);
  if (choice.name !== 'cuda') opts.err.write(`dgs: note: ${choice.reason}.\n`);
}

/**
 * An open project for `fn`. A file of an older format is worked on as a migrated copy; when a command
 * that edits succeeds, the upgrade replaces the original (a failed or read-only command leaves it as it was).
 */
export async function withProjectFile<T>(
  file: string,
  opts: SessionOptions,
  fn: (project: Project) => Promise<T>,
): Promise<T> {
  const project = Project.open(file, { readonly: opts.readonly, author: opts.author });
  let succeeded = false;
  try {
    const result = await fn(project);
    if (!project.readonly) project.saveUpgrade();
    succeeded = true;
    return result;
  } finally {
    project.dispose({ discardUnsavedUpgrade: !succeeded });
  }
}

export async function withProject<T>(
  file: string,
  opts: SessionOptions,
  fn: (project: Project, compute: Compute) => Promise<T>,
): Promise<T> {
  return withProjectFile(file, opts, (project) =>
    withCompute(async (compute) => {
      await noteProviderFallback(project, compute, opts);
      return fn(project, compute);
    }),
  );
}

/** An AbortSignal that Ctrl-C fires while `fn` runs (a second Ctrl-C kills as usual). */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    return await fn(controller.signal);
  } catch (e) {
    // The job's own abort, not a bug: a sentence and exit 130.
    if (controller.signal.aborted && !isUserError(e))
      throw new UserError('Stopped by Ctrl-C; what was saved before it is kept (`dgs info` shows the project).', {
        code: 'interrupted',
        cause: e,
      });
    throw e;
  } finally {
    process.off('SIGINT', stop);
  }
}
