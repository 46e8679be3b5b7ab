/**
 * The training loss as a person reads it: one series per stack of cross-validation folds and one for
 * the final ensemble, on an x axis of optimiser steps per member that keeps counting across them (each
 * stack restarts its own count). A series has values only on its own stretch of the axis, so no line
 * joins one fold's end to the next fold's start.
 */
import type { LossPoint } from '../../state/store';

export interface LossSeries {
  label: string;
  phase: LossPoint['phase'];
}

export interface LossChartData {
  series: LossSeries[];
  /** Whole steps, increasing. */
  x: number[];
  /** Per series, its loss at each x, null where the point belongs to another series. */
  y: (number | null)[][];
}

export function seriesLabel(p: Pick<LossPoint, 'phase' | 'fold' | 'stackFolds'>): string {
  if (p.phase === 'ensemble') return 'Final ensemble';
  const last = p.fold + Math.max(1, p.stackFolds);
  return last > p.fold + 1 ? `CV folds ${p.fold + 1}–${last}` : `CV fold ${p.fold + 1}`;
}

export function lossChartData(points: readonly LossPoint[]): LossChartData {
  const series: LossSeries[] = [];
  const owner: number[] = [];
  const x: number[] = [];
  let offset = 0;
  let last = 0;
  let key = '';
  const loss: number[] = [];
  for (const p of points) {
    const k = `${p.phase}:${p.fold}`;
    if (k !== key) {
      key = k;
      series.push({ label: seriesLabel(p), phase: p.phase });
      offset = last;
    } else if (offset + p.step === last) {
      // Worker threads report the same step one after another: the newest loss stands for it.
      loss[loss.length - 1] = p.loss;
      continue;
    }
    last = offset + p.step;
    x.push(last);
    loss.push(p.loss);
    owner.push(series.length - 1);
  }
  const y = series.map((_, s) => loss.map((l, i) => (owner[i] === s ? l : null)));
  return { series, x, y };
}
