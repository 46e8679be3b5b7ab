import { describe, expect, it } from 'vitest';
import { ALL_TENSORS, deserializeEnsemble } from '../ensemble-params';
import { trainInterpreter } from '../index';
import { ensembleShapeOf } from '../label/labeler';
import { poolSpec, trainEnsembleParallel, workerCount } from '../train/ensemble-workers';
import { hiddenWidths } from '../ensemble-params';
import { PixelFeatureStore } from '../train/pixel-features';
import { DEFAULT_TRAIN_OPTIONS } from '../train/train-interpreter';
import { TrainingPool } from '../train/pool';
import { defaultWorkerScripts } from '../../worker-scripts';
import { SMALL_PROBLEM, separableSample } from './synthetic';

const { shapes, L, C } = SMALL_PROBLEM;

describe('training in worker threads', () => {
  const samples = Array.from({ length: 5 }, (_, i) => separableSample(shapes, L, C, 300 + i));
  const train = (workers: number | 'auto', extra = {}) =>
    trainInterpreter({
      samples,
      labelResolution: L,
      numClasses: C,
      options: {
        members: 5,
        maxSteps: 60,
        cvFolds: 0,
        seed: 9,
        threads: 1,
        workers,
        ...extra,
      },
    });

  // Each rule made to stop some members early: the official one on a patience of 1 step from the first
  // epoch on, the heldout one after one evaluation without a better held-out loss, with no floor.
  const stopping = {
    official: { rule: 'official', earlyStopFromEpoch: 0, patience: 1 },
    heldout: { rule: 'heldout', heldoutEvery: 7, heldoutPatience: 1, heldoutMinPixels: 0, heldoutMinDelta: 0.05 },
  } as const;
  it.each(['official', 'heldout'] as const)(
    'gives the same weights as one thread (members are independent), early stopping by the %s rule included',
    async (rule) => {
      // Chunks of 7 steps for the 5-member stack (a group alone would fit 11 or 17): every grouping
      // must use the stack's K, since the chunk length rounds the Adam moments' rescaling.
      const extra = { chunkBytes: 7 * 5 * 64 * 20 * 4, ...stopping[rule] };
      const one = await train(1, extra);
      const two = await train(2, extra); // groups of 3 and 2 members
      const five = await train(5, extra); // one member per worker
      expect(Buffer.from(two.weights).equals(Buffer.from(one.weights))).toBe(true);
      expect(two.config.stepsPerMember).toEqual(one.config.stepsPerMember);
      expect(five.config.stepsPerMember).toEqual(one.config.stepsPerMember);
      // A one-member stack takes another MatMul path in onnxruntime: equal up to float rounding.
      const a = deserializeEnsemble(one.weights, ensembleShapeOf(one));
      const b = deserializeEnsemble(five.weights, ensembleShapeOf(five));
      for (const n of ALL_TENSORS) a[n].forEach((v, i) => expect(Math.abs(v - b[n][i])).toBeLessThan(1e-5));
      // The rule, not the cap, ends some members. Stopped members leave their stack (5 → … → 2 here,
      // 3 → 2 in one worker, never in the other): same weights.
      expect(one.config.stepsPerMember.some((s) => s < 60)).toBe(true);
    },
  );

  it('keeps one pool for cross-validation and the final ensemble, with the same results as one thread', async () => {
    const one = await train(1, { cvFolds: 2, cvMembers: 2, cvMaxSteps: 40 });
    const two = await train(2, { cvFolds: 2, cvMembers: 2, cvMaxSteps: 40 });
    expect(two.metrics.miou).toBe(one.metrics.miou);
    expect(two.metrics.perClass).toEqual(one.metrics.perClass);
    expect(Buffer.from(two.weights).equals(Buffer.from(one.weights))).toBe(true);
  });

  it('reports a failing job with its message, and the pool trains the next one', async () => {
    const store = new PixelFeatureStore(shapes, L, { precision: 'float32' });
    for (const s of samples) await store.addImage(s.features);
    const labels = samples.map((s) => s.labels);
    const settings = { ...DEFAULT_TRAIN_OPTIONS, maxSteps: 5, threads: 1 };
    const script = defaultWorkerScripts().train;
    const pool = TrainingPool.open(2, poolSpec(C, settings, 2), script);
    try {
      expect(pool?.size).toBe(2);
      const call = (lr: number) =>
        trainEnsembleParallel({
          workers: 2,
          pool,
          workerScript: script,
          store,
          labels,
          numClasses: C,
          hidden: hiddenWidths(C),
          memberImages: [[0, 1], [2, 3], [4]],
          settings: { ...settings, lr },
        });
      await expect(call(0.5)).rejects.toThrow(/pool's lr/);
      const r = await call(settings.lr);
      expect(r.steps).toEqual([5, 5, 5]);
    } finally {
      await pool?.dispose();
      await store.dispose();
    }
  });

  it('cancels every worker', async () => {
    const ctl = new AbortController();
    const run = trainInterpreter({
      samples,
      labelResolution: L,
      numClasses: C,
      signal: ctl.signal,
      options: { members: 4, cvFolds: 0, chunkBytes: 1, workers: 2 },
      onProgress: (e) => {
        if (e.step >= 3) ctl.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
  });

  it('uses one worker per core on the CPU (at most 4, at most one per member) and one on a GPU', () => {
    expect(workerCount('auto', 10, ['cuda', 'cpu'])).toBe(1);
    expect(workerCount('auto', 1, ['cpu'])).toBe(1);
    expect(workerCount('auto', 10, ['cpu'])).toBeLessThanOrEqual(4);
    expect(workerCount(3, 2, ['cpu'])).toBe(2);
    expect(workerCount('auto', 10, ['cpu'], 6016)).toBe(1);
  });
});
