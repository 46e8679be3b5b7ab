/**
 * What the process that runs compute is started with (the app's utility process, `dgs serve`'s child,
 * and the CLI's commands that compute in their own process): settings for its memory, measured in
 * docs/benchmarks.md ("The training's memory").
 * - `--expose-gc`, so a job can let go of a large dead array before it makes the next one
 *   (`collectGarbage`): the training's sample loader makes a few hundred MB of maps per sample at 512².
 * - glibc's mmap threshold fixed at 1 MiB: by default glibc raises it to the largest block freed so far
 *   (up to 32 MiB), so onnxruntime's many mid-sized tensors then come from the heap, which keeps them
 *   after they are freed; fixed, they are mapped and given back on free.
 */
export const COMPUTE_NODE_FLAGS: readonly string[] = ['--expose-gc'];

const MMAP_THRESHOLD = 'glibc.malloc.mmap_threshold=1048576';

/** The environment for a compute process: `env` with the allocator setting added to any tunables it has. */
export function computeProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const tunables = env.GLIBC_TUNABLES;
  if (tunables?.includes('glibc.malloc.mmap_threshold=')) return env;
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${MMAP_THRESHOLD}` : MMAP_THRESHOLD };
}

/** A full collection now, where the process was started with `--expose-gc`; nothing otherwise. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
