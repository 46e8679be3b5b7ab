/**
 * Opens an onnxruntime-node session on the requested execution providers. onnxruntime-node does not
 * fall back by itself when a provider's library fails to load (research/electron-stack.md §1), so a
 * failing list is retried on the CPU, and the provider that actually ran is reported.
 */
import * as ort from 'onnxruntime-node';

export async function createSession(model: Uint8Array, executionProviders: string[], threads: number, opts: { arena?: boolean } = {}):
Promise<{ session: ort.InferenceSession; provider: string }> {
  // No spin-waiting between ops: the training Loop runs hundreds of small ops per step, and spinning
  // threads starve everything else when the cores are shared (UI, generator, other jobs). Measured on
  // a loaded 2-core machine: 8–10 ms per 10-member step without spinning, 35 ms with it.
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
  if (threads > 0) base.intraOpNumThreads = threads;
  // Large labeling graphs (512² labels) run without the CPU arena, so their gigabyte tensors go back
  // to the system after each image instead of staying reserved (labeler.ts decides).
  if (opts.arena === false) base.enableCpuMemArena = false;
  const eps = executionProviders.length ? executionProviders : ['cpu'];
  try {
    const session = await ort.InferenceSession.create(model, { ...base, executionProviders: eps });
    return { session, provider: eps[0] };
  } catch (e) {
    if (eps.length === 1 && eps[0] === 'cpu') throw e;
    const session = await ort.InferenceSession.create(model, { ...base, executionProviders: ['cpu'] });
    return { session, provider: 'cpu' };
  }
}
