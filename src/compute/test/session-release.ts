/** A spy on every onnxruntime session's `release` in this thread (tests count the sessions a step closes). */
import * as ort from 'onnxruntime-node';
import { vi } from 'vitest';

export function spyOnSessionRelease() {
  // The factory's type hides that it is the sessions' class; its prototype's release is theirs.
  const sessionClass = ort.InferenceSession as unknown as { prototype: ort.InferenceSession };
  return vi.spyOn(sessionClass.prototype, 'release');
}
