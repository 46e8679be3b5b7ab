/**
 * What a command works on: an open project and the compute service in this process (the CLI's job is
 * its process, so onnxruntime may block it). Both are released however the command ends.
 */
import { openLocalCompute } from '../compute';
import type { Compute } from '../shared/compute-api';
import { Project } from '../engine/project';

export async function withCompute<T>(fn: (compute: Compute) => Promise<T>): Promise<T> {
  const compute = openLocalCompute();
  try {
    return await fn(compute);
  } finally {
    await compute.dispose();
  }
}

export async function withProject<T>(file: string, opts: { readonly?: boolean }, fn: (project: Project, compute: Compute) => Promise<T>): Promise<T> {
  const project = Project.open(file, opts);
  try {
    return await withCompute((compute) => fn(project, compute));
  } finally {
    project.close();
  }
}

/** An AbortSignal that Ctrl-C fires while `fn` runs (a second Ctrl-C kills as usual). */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', stop);
  }
}
