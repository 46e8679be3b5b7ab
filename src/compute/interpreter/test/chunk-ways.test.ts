import type * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../shared/rng';
import type { EnsembleShape } from '../ensemble-params';
import { initEnsemble } from '../ensemble-params';
import { FirstLayerUpdate } from '../train/first-layer-update';
import { BETA1, BETA2, initialTrainState, selectMembers } from '../train/state';
import { gradientBlocks, openTrainSession, type Chunk, type TrainSession } from '../train/train-sessions';

const B = 16;
const cpu = { executionProviders: ['cpu'], threads: 1 };

function chunk(shape: EnsembleShape, steps: number, seed: number, members = shape.members): Chunk {
  const rng = new SeededRng(seed);
  const D = shape.inputDims;
  const x = Float32Array.from({ length: steps * members * B * D }, () => rng.nextNormal());
  // Labels that depend on the features, so that losses fall and the official rule has something to judge.
  const y = BigInt64Array.from({ length: steps * members * B }, (_, r) =>
    BigInt(((x[r * D] > 0 ? 1 : 0) + (x[r * D + 1] > 0 ? 2 : 0)) % shape.numClasses),
  );
  return { x, y, es: new Uint8Array(members).fill(1), steps, members, batch: B, dims: D };
}

const f32 = (t: ort.Tensor) => t.data as Float32Array;

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('the two ways a chunk trains', () => {
  it('give the same losses, stops and weights over several chunks, with members stopping inside a chunk', async () => {
    // 2,000 dims × 128 units × 3 members: w1's gradient comes back in 4 row blocks.
    const shape: EnsembleShape = { members: 3, inputDims: 2000, hidden: [128, 32], numClasses: 4 };
    expect(gradientBlocks(3, 2000, 128)).toBe(4);
    const spec = { numClasses: 4, lr: 1e-3, patience: 3 };
    const sessions: TrainSession[] = [
      await openTrainSession(spec, cpu, 'loop'),
      await openTrainSession(spec, cpu, 'step'),
    ];
    expect(sessions.map((s) => s.way)).toEqual(['loop', 'step']);
    const states = sessions.map(() => initialTrainState(initEnsemble(shape, 5), shape));
    let stoppedInside = false;
    for (let c = 0; c < 4; c++) {
      const batch = chunk(shape, 8, 100 + c);
      const outs = [];
      for (const [i, s] of sessions.entries()) outs.push(await s.train(states[i], batch));
      const [loop, step] = outs;
      for (let j = 0; j < loop.losses.length; j++) {
        expect(Number.isNaN(step.losses[j]), `loss ${j} of chunk ${c}`).toBe(Number.isNaN(loop.losses[j]));
        if (!Number.isNaN(loop.losses[j])) expect(step.losses[j]).toBeCloseTo(loop.losses[j], 4);
      }
      // A member that stopped inside the chunk: a finite loss, then NaN.
      for (let m = 0; m < 3; m++)
        if (!Number.isNaN(loop.losses[m]) && Number.isNaN(loop.losses[7 * 3 + m])) stoppedInside = true;
      expect(Array.from(step.state.active.data as Uint8Array)).toEqual(
        Array.from(loop.state.active.data as Uint8Array),
      );
      expect(Array.from(f32(step.state.steps))).toEqual(Array.from(f32(loop.state.steps)));
      for (const name of ['w1', 'w1_u', 'w1_q', 'p', 'p_u', 'p_q', 'rm1', 'rv2'])
        expect(maxDiff(f32(step.state[name]), f32(loop.state[name])), name).toBeLessThan(1e-4);
      states[0] = loop.state;
      states[1] = step.state;
    }
    expect(stoppedInside).toBe(true);
    for (const s of sessions) await s.dispose();
  });

  it('keeps a stack in the update between its chunks and takes a smaller one after members leave', async () => {
    const shape: EnsembleShape = { members: 4, inputDims: 300, hidden: [128, 32], numClasses: 3 };
    const spec = { numClasses: 3, lr: 1e-3, patience: 50 };
    const loop = await openTrainSession(spec, cpu, 'loop');
    const step = await openTrainSession(spec, cpu, 'step');
    const start = initialTrainState(initEnsemble(shape, 2), shape);
    const first = await step.train(start, chunk(shape, 3, 1));
    const second = await step.train(first.state, chunk(shape, 3, 2));
    // The same memory, not a copy: the next chunk of the same stack starts where the last one ended.
    expect(f32(second.state.w1).buffer).toBe(f32(first.state.w1).buffer);
    const loopFirst = await loop.train(start, chunk(shape, 3, 1));
    const loopSecond = await loop.train(loopFirst.state, chunk(shape, 3, 2));
    expect(maxDiff(f32(second.state.w1), f32(loopSecond.state.w1))).toBeLessThan(1e-5);
    // Members 1 and 3 go on alone (as ensemble.ts's compaction leaves them).
    const keep = [1, 3];
    const third = await step.train(selectMembers(second.state, keep), chunk(shape, 3, 3, 2));
    const loopThird = await loop.train(selectMembers(loopSecond.state, keep), chunk(shape, 3, 3, 2));
    expect(f32(third.state.w1).length).toBe(2 * 300 * 128);
    for (let j = 0; j < third.losses.length; j++) expect(third.losses[j]).toBeCloseTo(loopThird.losses[j], 5);
    expect(maxDiff(f32(third.state.w1), f32(loopThird.state.w1))).toBeLessThan(1e-5);
    await step.dispose();
    await loop.dispose();
  });
});

describe("w1's update in WebAssembly", () => {
  it("is torch.optim.Adam's step on the scaled moments, per member with its own coefficients", () => {
    const members = 3;
    const per = 64 * 12;
    const rng = new SeededRng(9);
    const draw = (scale: number) => Float32Array.from({ length: members * per }, () => scale * rng.nextNormal());
    const [w, u, q, g] = [draw(0.1), draw(0.01), draw(0.001).map(Math.abs), draw(0.05)];
    const a = Float32Array.from([1e-3, 0, 2e-4]); // member 1 has stopped: its weights stay
    const e = Float32Array.from([1e-8, 3e-8, 1e-7]);
    const update = new FirstLayerUpdate();
    update.load(w, u, q);
    update.gradient.set(g);
    update.apply(a, e);
    const [w2, u2, q2] = update.held();
    for (let i = 0; i < w.length; i++) {
      const m = Math.floor(i / per);
      const ui = BETA1 * u[i] + g[i];
      const qi = BETA2 * q[i] + g[i] * g[i];
      expect(u2[i]).toBeCloseTo(ui, 6);
      expect(q2[i]).toBeCloseTo(qi, 6);
      expect(w2[i]).toBeCloseTo(w[i] - (a[m] * ui) / (Math.sqrt(qi) + e[m]), 6);
      if (m === 1) expect(w2[i]).toBe(w[i]);
    }
  });

  it('grows its memory for a larger stack and cuts the gradient into blocks under the heap threshold', () => {
    const update = new FirstLayerUpdate();
    update.load(new Float32Array(8), new Float32Array(8), new Float32Array(8));
    const big = new Float32Array(200_000).fill(0.5);
    update.load(big, big, big);
    expect(update.weights.length).toBe(200_000);
    expect(update.weights[199_999]).toBe(0.5);
    for (const [n, dims, h1] of [
      [10, 6016, 128],
      [5, 784, 128],
      [1, 10, 256],
      [12, 6016, 256],
    ]) {
      const R = gradientBlocks(n, dims, h1);
      expect(R).toBeGreaterThanOrEqual(1);
      expect(4 * n * Math.ceil(dims / R) * h1, `${n} × ${dims} × ${h1}`).toBeLessThan(1 << 20);
    }
  });
});
