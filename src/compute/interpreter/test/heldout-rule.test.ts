/**
 * The 'heldout' training rule (docs/interpreter.md, "Training rules"): its stratified held-out sample, its
 * random draws that never touch it, its loss graph against a plain double-precision forward, its floor and
 * its stop; and the progress it reports.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { InterpreterProgress, InterpreterTrainOptions } from '../../../shared/interpreter-types';
import { SeededRng } from '../../../shared/rng';
import { hiddenWidths, initEnsemble, type EnsembleShape } from '../ensemble-params';
import { trainInterpreter } from '../index';
import { RandomDraws } from '../train/batches';
import { DEFAULT_TRAIN_OPTIONS, defaultRule } from '../train/train-interpreter';
import { buildHeldoutLossModel, heldoutStateInputs } from '../train/heldout-graph';
import { HeldoutMonitor, HeldoutSample } from '../train/heldout';
import { PixelFeatureStore } from '../train/pixel-features';
import { initialTrainState } from '../train/state';
import { openSession } from '../../runtime/execution-provider';
import { naiveEnsembleProbs, naivePixelFeatures } from './naive-reference';
import { SMALL_PROBLEM, separableSample } from './synthetic';

const { shapes, L, C } = SMALL_PROBLEM;
const L2 = L * L;

describe("the 'heldout' training rule", () => {
  const samples = Array.from({ length: 4 }, (_, i) => separableSample(shapes, L, C, 500 + i));
  const labels = samples.map((s) => s.labels);

  it('holds out an equal share of each class, at most 5 % of its pixels and at least one, the same every time', () => {
    const images = [
      [0, 1, 2],
      [1, 2, 3],
    ];
    const a = new HeldoutSample(images, labels, L2, 40, 20, 7);
    const b = new HeldoutSample(images, labels, L2, 40, 20, 7);
    expect(a.pixels).toEqual(b.pixels);
    expect(a.images).toEqual(b.images);
    const counts = new Array<number>(C).fill(0);
    for (const img of [0, 1, 2, 3]) for (const v of labels[img]) counts[v]++;
    const held = new Array<number>(C).fill(0);
    a.classes.forEach((c, i) => {
      held[c]++;
      expect(labels[a.images[i]][a.pixels[i]]).toBe(c);
      expect(a.excludes(a.images[i], a.pixels[i])).toBe(true);
    });
    const present = counts.filter((n) => n > 0).length;
    counts.forEach((n, c) => {
      if (!n) return expect(held[c]).toBe(0);
      expect(held[c]).toBe(Math.min(Math.ceil(40 / present), Math.max(1, Math.floor(n * 0.05))));
    });
  });

  it('draws every batch from the pixels not held out, following each member’s own stream', () => {
    const images = [
      [0, 1],
      [2, 3],
    ];
    const sample = new HeldoutSample(images, labels, L2, 64, 20, 3);
    const args = { pixels: [2 * L2, 2 * L2], batch: 16, maxEpochs: 100, seed: 5, firstMember: 0 };
    const excluded = (m: number, px: number) => sample.excludes(images[m][(px / L2) | 0], px % L2);
    const a = new RandomDraws(args, excluded);
    const b = new RandomDraws(args, excluded);
    const rows = new Uint32Array(16);
    const other = new Uint32Array(16);
    // a draws member 0 then 1 per step; b draws all of member 1's steps first: the streams are per member.
    const seen: number[][] = [[], []];
    for (let step = 0; step < 50; step++)
      for (const m of [0, 1]) {
        a.batch(m, step, rows);
        for (const px of rows) expect(excluded(m, px)).toBe(false);
        seen[m].push(...rows);
      }
    const again: number[][] = [[], []];
    for (const m of [1, 0])
      for (let step = 0; step < 50; step++) {
        b.batch(m, step, other);
        again[m].push(...other);
      }
    expect(again).toEqual(seen);
    // Random draws reach most of the pool (50 · 16 draws of 512 pixels).
    expect(new Set(seen[0]).size).toBeGreaterThan(300);
  });

  it('scores members on their held-out pixels as inference would: class-balanced mean cross-entropy', async () => {
    const store = new PixelFeatureStore(shapes, L, { precision: 'float32' });
    for (const s of samples) await store.addImage(s.features);
    const shape: EnsembleShape = { members: 2, inputDims: store.dims, hidden: hiddenWidths(C), numClasses: C };
    const params = initEnsemble(shape, 11);
    const rng = new SeededRng(2);
    // Running statistics away from 0 and 1, so their use is checked.
    for (const n of ['rm1', 'rm2', 'be1', 'b3'] as const) params[n] = params[n].map(() => 0.3 * rng.nextNormal());
    for (const n of ['rv1', 'rv2'] as const) params[n] = params[n].map(() => 0.5 + rng.nextDouble());
    const images = [
      [0, 1, 2],
      [1, 2, 3],
    ];
    const sample = new HeldoutSample(images, labels, L2, 48, store.dims, 1);
    const session = await openSession(buildHeldoutLossModel(C), { provider: ['cpu'], threads: 1 });
    try {
      const monitor = new HeldoutMonitor(sample, store, labels, images, session, {
        heldoutPixels: 48,
        heldoutEvery: 1,
        heldoutPatience: 1,
        heldoutMinDelta: 0,
      });
      const state = initialTrainState(params, shape);
      await monitor.evaluate(state, [0, 1], Uint8Array.of(1, 1));
      const features = samples.map((s) => naivePixelFeatures(s.features, L).x);
      for (const m of [0, 1]) {
        const sum = new Array<number>(C).fill(0);
        const n = new Array<number>(C).fill(0);
        sample.images.forEach((img, v) => {
          if (!images[m].includes(img)) return;
          const px = sample.pixels[v];
          const x = features[img].subarray(px * store.dims, (px + 1) * store.dims);
          const p = naiveEnsembleProbs(x, 1, params, shape, 1e-5)[m][0];
          sum[sample.classes[v]] -= Math.log(p[sample.classes[v]]);
          n[sample.classes[v]]++;
        });
        const present = n.map((k, c) => (k ? sum[c] / k : null)).filter((v): v is number => v !== null);
        const expected = present.reduce((a, b) => a + b, 0) / present.length;
        expect(Math.abs(monitor.latest[m] - expected)).toBeLessThan(1e-4 * Math.max(1, expected));
      }
    } finally {
      await session.session.release();
      await store.dispose();
    }
  });

  it('stops a member once its held-out loss stops improving, never before the floor', async () => {
    const trained = await trainInterpreter({
      samples,
      labelResolution: L,
      numClasses: C,
      // A floor of 30 steps of 16 pixels; a best must improve by 90 %, so every member is stale at once.
      options: {
        rule: 'heldout',
        members: 3,
        batchSize: 16,
        heldoutMinPixels: 30 * 16,
        heldoutEvery: 4,
        heldoutPatience: 1,
        heldoutMinDelta: 0.9,
        cvFolds: 0,
        threads: 1,
        workers: 1,
      },
    });
    // The first evaluation at or after step 30 is at step 32.
    expect(trained.config.stepsPerMember).toEqual([32, 32, 32]);
    expect(trained.config.options.rule).toBe('heldout');
  });

  it('is the default only where its floor is below the official minimum: not on the demo, at 256² and up', async () => {
    const o = DEFAULT_TRAIN_OPTIONS;
    expect(defaultRule(o, 16, 64)).toBe('official');
    expect(defaultRule(o, 24, 64)).toBe('official');
    expect(defaultRule(o, 25, 64)).toBe('heldout');
    expect(defaultRule(o, 4, 128)).toBe('official');
    expect(defaultRule(o, 16, 128)).toBe('heldout');
    expect(defaultRule(o, 16, 256)).toBe('heldout');
    expect(defaultRule(o, 2, 512)).toBe('heldout');
    // A run that names no rule stores the one it trained by; a rule the caller names is kept.
    const run = (options: Partial<InterpreterTrainOptions>) =>
      trainInterpreter({
        samples,
        labelResolution: L,
        numClasses: C,
        options: { members: 1, maxSteps: 8, batchSize: 16, cvFolds: 0, threads: 1, workers: 1, ...options },
      });
    const small = 4 * 4 * L2;
    expect((await run({ heldoutMinPixels: small })).config.options.rule).toBe('official');
    expect((await run({ heldoutMinPixels: small - 1 })).config.options.rule).toBe('heldout');
    expect((await run({ heldoutMinPixels: small, rule: 'heldout' })).config.options.rule).toBe('heldout');
  });

  it('reports stages in order, each moving from 0 to 1 with an ETA, and never a NaN loss once there was one', async () => {
    const events: InterpreterProgress[] = [];
    const trained = await trainInterpreter({
      samples,
      labelResolution: L,
      numClasses: C,
      options: { rule: 'heldout', members: 3, maxSteps: 120, cvFolds: 2, cvMembers: 2, threads: 1, workers: 1 },
      onProgress: (e) => events.push(e),
    });
    expect(trained.metrics.miou).not.toBeNull();
    expect(trained.metrics.report).toBeUndefined();
    const phases = events.map((e) => e.phase).filter((p, i, all) => p !== all[i - 1]);
    expect(phases).toEqual(['load', 'ensemble', 'cv']);
    for (const phase of ['load', 'ensemble', 'cv'] as const) {
      const f = events.filter((e) => e.phase === phase).map((e) => e.fraction);
      f.forEach((v, i) => i && expect(v).toBeGreaterThanOrEqual(f[i - 1]));
      expect(f.at(-1)).toBeGreaterThan(0.95);
    }
    // Each stage says it has begun (no step, no loss yet); every training call after that has a loss.
    const trainingEvents = events.filter((e) => e.phase !== 'load' && e.step > 0);
    expect(events.filter((e) => e.phase !== 'load' && e.step === 0)).toHaveLength(2);
    expect(trainingEvents.every((e) => Number.isFinite(e.loss))).toBe(true);
    expect(trainingEvents.at(-1)?.etaSeconds).not.toBeNull();
  });
});

describe('the held-out loss graph', () => {
  it('takes the training state as it leaves a chunk: [N, V] cross-entropies', async () => {
    const shape: EnsembleShape = { members: 3, inputDims: 5, hidden: hiddenWidths(C), numClasses: C };
    const state = initialTrainState(initEnsemble(shape, 1), shape);
    const session = await openSession(buildHeldoutLossModel(C), { provider: ['cpu'], threads: 1 });
    try {
      const out = await session.session.run({
        X: new ort.Tensor('float32', new Float32Array(7 * 5).fill(0.1), [7, 5]),
        Y: new ort.Tensor('int64', new BigInt64Array(7).fill(1n), [7]),
        ...heldoutStateInputs(state),
      });
      expect(out.ce.dims).toEqual([3, 7]);
      for (const v of out.ce.data as Float32Array) expect(v).toBeGreaterThan(0);
    } finally {
      await session.session.release();
    }
  });
});
