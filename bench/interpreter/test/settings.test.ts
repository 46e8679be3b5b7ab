/**
 * bench/interpreter's cross-validation compares ours with the naive reference only if every fold of
 * both trains by the same steps (issue 18, item 5: ours' folds once trained a single step, capped by the
 * one-step final ensemble the CV child asked for). The fold settings ours' trainer resolves from the
 * child's options are checked here against the naive reference's, for capped and uncapped runs.
 */
import { describe, expect, it } from 'vitest';
import { trainingOptions } from '../../../src/compute/interpreter/train/train-interpreter';
import { minClassPixelsFor } from '../../../src/shared/interpreter-types';
import { naiveOptions, oursCvOptions, type TrainSettings } from '../settings';

const base: TrainSettings = {
  rule: 'official',
  members: 3,
  maxSteps: null,
  earlyStopFromEpoch: 4,
  seed: 0,
  threads: 0,
  fp16Copy: true,
};

describe("the bench's cross-validation child", () => {
  it.each([
    ['uncapped', null],
    ['capped at 100 steps', 100],
    ['capped at 1 step', 1],
  ])('gives both methods the same step settings per fold (%s)', (_, maxSteps) => {
    const s = { ...base, maxSteps };
    const L = 64;
    // What ours' trainer makes of the child's options, and what its folds train by (training-run.ts).
    const o = trainingOptions({ options: oursCvOptions(s, L, 4), numClasses: 10 });
    const fold = {
      rule: o.rule,
      members: o.cvMembers,
      batchSize: o.batchSize,
      lr: o.lr,
      maxEpochs: Math.min(o.cvMaxEpochs, o.maxEpochs),
      maxSteps: o.cvMaxSteps ?? o.maxSteps,
      earlyStopFromEpoch: o.earlyStopFromEpoch,
      patience: o.patience,
      cleanupPixels: minClassPixelsFor(o.minClassFraction, L),
    };
    const n = naiveOptions(s);
    expect(fold).toEqual({
      rule: 'official',
      members: n.members,
      batchSize: n.batchSize,
      lr: n.lr,
      maxEpochs: n.maxEpochs,
      maxSteps: n.maxSteps,
      earlyStopFromEpoch: n.earlyStopFromEpoch,
      patience: n.patience,
      cleanupPixels: n.minClassPixels,
    });
    expect(o.cvFolds).toBe(4);
    // Folds of `members` members each train one stack at a time, as the naive trains fold after fold.
    expect(Math.floor(Math.max(o.members, o.cvMembers) / o.cvMembers)).toBe(1);
  });

  it("trains ours' folds by its default rule when asked, everything else the same", () => {
    const o = trainingOptions({ options: oursCvOptions({ ...base, rule: 'heldout' }, 64, 4), numClasses: 10 });
    const n = naiveOptions(base);
    expect(o.rule).toBe('heldout');
    expect([o.cvMembers, o.batchSize, o.lr, o.cvMaxSteps]).toEqual([n.members, n.batchSize, n.lr, n.maxSteps]);
  });

  it("gives ours the options that --heldout-options names, and the product's where it names none", () => {
    const product = trainingOptions({ options: oursCvOptions({ ...base, rule: 'heldout' }, 64, 4), numClasses: 10 });
    const earlier = { ...base, rule: 'heldout' as const, options: { heldoutMinPixels: 262_144 } };
    const o = trainingOptions({ options: oursCvOptions(earlier, 64, 4), numClasses: 10 });
    expect(o.heldoutMinPixels).toBe(262_144);
    expect(product.heldoutMinPixels).not.toBe(262_144);
    expect({ ...o, heldoutMinPixels: 0 }).toEqual({ ...product, heldoutMinPixels: 0 });
  });
});
