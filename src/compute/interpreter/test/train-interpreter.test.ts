import { describe, expect, it } from 'vitest';
import type { InterpreterProgress } from '../../../shared/interpreter-types';
import { deserializeEnsemble, initEnsemble, serializeEnsemble } from '../ensemble-params';
import { createLabeler, trainInterpreter } from '../index';
import { ensembleShapeOf } from '../label/labeler';
import { SMALL_PROBLEM, separableSample } from './synthetic';

const { shapes, L, C } = SMALL_PROBLEM;

describe('trainInterpreter', () => {
  const samples = Array.from({ length: 6 }, (_, i) => separableSample(shapes, L, C, 100 + i));

  it('is reproducible: same seed, same weights bit for bit; another seed, other weights', async () => {
    const options = { members: 3, maxSteps: 25, cvFolds: 0, seed: 42, threads: 1 };
    const a = await trainInterpreter({ samples, labelResolution: L, numClasses: C, options });
    const b = await trainInterpreter({ samples, labelResolution: L, numClasses: C, options });
    const c = await trainInterpreter({ samples, labelResolution: L, numClasses: C, options: { ...options, seed: 43 } });
    expect(Buffer.from(a.weights).equals(Buffer.from(b.weights))).toBe(true);
    expect(Buffer.from(a.weights).equals(Buffer.from(c.weights))).toBe(false);
    expect(a.config.stepsPerMember).toEqual([25, 25, 25]);
  });

  it('learns a separable problem: high cross-validated mIoU, and labels its training images', async () => {
    const events: InterpreterProgress[] = [];
    const trained = await trainInterpreter({
      samples: { count: samples.length, load: async (i) => samples[i] },
      labelResolution: L,
      numClasses: C,
      options: { members: 3, maxEpochs: 3, earlyStopFromEpoch: 1, cvMembers: 1, cvMaxSteps: 300, threads: 1 },
      onProgress: (e) => events.push(e),
    });
    expect(trained.metrics.folds).toBe(4);
    expect(trained.metrics.cvMembers).toBe(1);
    expect(trained.metrics.miou).toBeGreaterThan(0.9);
    expect(trained.metrics.perClass.every((v) => v !== null && v > 0.8)).toBe(true);
    expect(trained.metrics.provider).toBe('cpu');
    expect(events.some((e) => e.phase === 'cv')).toBe(true);
    expect(events.some((e) => e.phase === 'ensemble' && e.members === 3)).toBe(true);
    const labeler = await createLabeler(trained, shapes, L);
    const r = await labeler.label(samples.slice(0, 2).map((s) => s.features));
    let agree = 0;
    r.labels.forEach((lab, i) =>
      lab.forEach((v, p) => {
        if (v === samples[i].labels[p]) agree++;
      }),
    );
    expect(agree / (2 * L * L)).toBeGreaterThan(0.95);
    expect(r.score).toHaveLength(2);
    expect(r.uncertainty[0]).toHaveLength(L * L);
    await labeler.dispose();
  });

  it('cleans up by area: a small part survives the default, a larger threshold erases it and says so', async () => {
    // Sample 0 gets a 6-pixel part of class 3: what an eye is at a small label resolution.
    const small = samples.map((s) => ({ ...s, labels: s.labels.slice() }));
    small[0].labels.forEach((v, p) => {
      if (v === 3) small[0].labels[p] = 0;
    });
    for (const p of [0, 1, 2, 16, 17, 18]) small[0].labels[p] = 3;
    const options = { members: 2, maxSteps: 5, cvFolds: 0, threads: 1 };
    const kept = await trainInterpreter({ samples: small, labelResolution: L, numClasses: C, options });
    expect(kept.metrics.cleanup).toEqual({ minClassFraction: 30 / (512 * 512), minClassPixels: 1, erased: [] });
    const erased = await trainInterpreter({
      samples: small,
      labelResolution: L,
      numClasses: C,
      options: { ...options, minClassFraction: 10 / (L * L) },
    });
    expect(erased.metrics.cleanup?.minClassPixels).toBe(10);
    expect(erased.metrics.cleanup?.erased).toContainEqual({ annotation: 0, classId: 3, pixels: 6 });
    expect(erased.metrics.classPixels[3]).toBe(kept.metrics.classPixels[3] - 6);
  });

  it('round-trips its weights through serialisation and refuses damaged ones', async () => {
    const shape = { members: 2, inputDims: 20, hidden: [128, 32] as [number, number], numClasses: C };
    const p = initEnsemble(shape, 7);
    const back = deserializeEnsemble(serializeEnsemble(p, shape), shape);
    for (const k of Object.keys(p) as (keyof typeof p)[]) expect(back[k]).toEqual(p[k]);
    const bytes = serializeEnsemble(p, shape);
    expect(() => deserializeEnsemble(bytes.subarray(0, bytes.length - 4), shape)).toThrow(/retrain/);
    const trained = await trainInterpreter({
      samples,
      labelResolution: L,
      numClasses: C,
      options: { members: 2, maxSteps: 5, cvFolds: 0 },
    });
    const again = deserializeEnsemble(trained.weights, ensembleShapeOf(trained));
    expect(serializeEnsemble(again, ensembleShapeOf(trained))).toEqual(trained.weights);
    await expect(createLabeler(trained, shapes.slice(1), L)).rejects.toThrow(/another generator/);
  });

  it('stops when cancelled', async () => {
    const ctl = new AbortController();
    const run = trainInterpreter({
      samples,
      labelResolution: L,
      numClasses: C,
      options: { members: 2, cvFolds: 0, chunkBytes: 1 },
      onProgress: (e) => {
        if (e.step >= 3) ctl.abort();
      },
      signal: ctl.signal,
    });
    await expect(run).rejects.toThrow(/abort/i);
  });

  it('refuses annotations of the wrong size and unknown classes with a sentence', async () => {
    const bad = [{ features: samples[0].features, labels: new Uint8Array(10) }];
    await expect(trainInterpreter({ samples: bad, labelResolution: L, numClasses: C })).rejects.toThrow(
      /label resolution is 16×16/,
    );
    const wrongClass = [{ features: samples[0].features, labels: new Uint8Array(L * L).fill(9) }];
    await expect(trainInterpreter({ samples: wrongClass, labelResolution: L, numClasses: C })).rejects.toThrow(
      /class id 9/,
    );
  });
});
