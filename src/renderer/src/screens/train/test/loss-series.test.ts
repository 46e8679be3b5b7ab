import { describe, expect, it } from 'vitest';
import { cvFoldsText } from '../../../../../shared/interpreter-types';
import type { LossPoint } from '../../../state/store';
import { lossChartData } from '../loss-series';

const cv = (fold: number, stackFolds: number, step: number, loss: number): LossPoint => ({
  phase: 'cv',
  fold,
  folds: 4,
  stackFolds,
  step,
  loss,
});
const ens = (step: number, loss: number): LossPoint => ({
  phase: 'ensemble',
  fold: 0,
  folds: 1,
  stackFolds: 1,
  step,
  loss,
});

describe('lossChartData', () => {
  it('keeps one point per step: the newest loss when workers report the same step', () => {
    const d = lossChartData([cv(0, 1, 64, 0.9), cv(0, 1, 64, 0.7), cv(0, 1, 128, 0.5)]);
    expect(d.x).toEqual([64, 128]);
    expect(d.y).toEqual([[0.7, 0.5]]);
  });

  it('gives each stack of folds and the ensemble its own series on one whole-step axis', () => {
    const d = lossChartData([
      cv(0, 3, 64, 0.9),
      cv(0, 3, 128, 0.5),
      cv(3, 1, 64, 0.8),
      cv(3, 1, 128, 0.4),
      ens(64, 0.7),
    ]);
    expect(d.series.map((s) => s.label)).toEqual(['CV folds 1–3', 'CV fold 4', 'Final ensemble']);
    expect(d.x).toEqual([64, 128, 192, 256, 320]);
    expect(d.y).toEqual([
      [0.9, 0.5, null, null, null],
      [null, null, 0.8, 0.4, null],
      [null, null, null, null, 0.7],
    ]);
  });
});

describe('cvFoldsText', () => {
  it('names the folds a stack trains, never "folds 4–4"', () => {
    expect(cvFoldsText({ fold: 0, folds: 4, stackFolds: 3 })).toBe('folds 1–3 of 4');
    expect(cvFoldsText({ fold: 3, folds: 4, stackFolds: 1 })).toBe('fold 4 of 4');
    expect(cvFoldsText({ fold: 1, folds: 4, stackFolds: 1 })).toBe('fold 2 of 4');
  });
});
