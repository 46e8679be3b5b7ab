import type * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { EnsembleShape } from '../ensemble-params';
import { initEnsemble } from '../ensemble-params';
import { DepartedMembers, initialTrainState, selectMembers, trainedParams } from '../train/state';

const shape: EnsembleShape = { members: 4, inputDims: 3, hidden: [8, 4], numClasses: 3 };

/** A state whose every value says which member it belongs to (member m: m + 1 + a small offset per element). */
function markedState(): Record<string, ort.Tensor> {
  const state = initialTrainState(initEnsemble(shape, 7), shape);
  for (const t of Object.values(state)) {
    if (t.type !== 'float32') continue;
    const data = t.data as Float32Array;
    const stride = data.length / t.dims[0];
    for (let i = 0; i < data.length; i++) data[i] = Math.floor(i / stride) + 1 + (i % stride) / 1000;
  }
  return state;
}

describe('members that leave the stack', () => {
  it('come back in their places, with the members still training, as the ensemble’s weights', () => {
    const state = markedState();
    const departed = new DepartedMembers(4);
    // Members 1 and 3 stop first; then the stack holds members 0 and 2.
    departed.keep(state, [0, 1, 2, 3], [1, 3]);
    const rest = selectMembers(state, [0, 2]);
    // The rest train on: their values change after the departure.
    for (const t of Object.values(rest))
      if (t.type === 'float32') (t.data as Float32Array).forEach((v, i, a) => (a[i] = -v));
    const whole = departed.assemble(rest, [0, 2]);
    expect(whole.w1.dims).toEqual(state.w1.dims);
    expect(whole.steps.dims).toEqual([4, 1, 1]);
    const params = trainedParams(whole, shape);
    const expected = trainedParams(state, shape);
    for (const [name, values] of Object.entries(params)) {
      const stride = values.length / 4;
      for (let m = 0; m < 4; m++) {
        const got = values.subarray(m * stride, (m + 1) * stride);
        const before = expected[name as keyof typeof expected].subarray(m * stride, (m + 1) * stride);
        // Departed members keep their values at departure; the others are the stack's latest.
        expect(Array.from(got)).toEqual(Array.from(before, (v) => (m === 1 || m === 3 ? v : -v)));
      }
    }
  });

  it('keep their weights, running statistics and steps, not Adam’s moments', () => {
    const state = markedState();
    const departed = new DepartedMembers(4);
    departed.keep(state, [0, 1, 2, 3], [2]);
    const whole = departed.assemble(selectMembers(state, [0, 1, 3]), [0, 1, 3]);
    expect(Object.keys(whole).sort()).toEqual(['p', 'rm1', 'rm2', 'rv1', 'rv2', 'steps', 'w1']);
  });

  it('leave a stack that is itself part of the ensemble by their slots', () => {
    // A stack of members 5 and 9 of a larger ensemble is indexed 0..1 in `state` and by slot in the whole.
    const state = initialTrainState(initEnsemble({ ...shape, members: 2 }, 3), { ...shape, members: 2 });
    (state.steps.data as Float32Array).set([11, 22]);
    const departed = new DepartedMembers(10);
    departed.keep(state, [5, 9], [1]);
    const whole = departed.assemble(selectMembers(state, [0]), [5]);
    const steps = Array.from(whole.steps.data as Float32Array);
    expect(steps[5]).toBe(11);
    expect(steps[9]).toBe(22);
    expect(steps.filter((_, m) => m !== 5 && m !== 9).every((v) => v === 0)).toBe(true);
  });
});
