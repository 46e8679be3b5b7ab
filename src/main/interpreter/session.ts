/**
 * Opens an onnxruntime-node session on the requested execution providers. onnxruntime-node does not
 * fall back by itself when a provider's library fails to load (research/electron-stack.md §1), so a
 * failing list is retried on the CPU, and the provider that actually ran is reported.
 */
import * as ort from 'onnxruntime-node';

export async function createSession(model: Uint8Array, executionProviders: string[], threads: number):
Promise<{ session: ort.InferenceSession; provider: string }> {
  const base: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all' };
  if (threads > 0) base.intraOpNumThreads = threads;
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
