/**
 * The bench's figures per method: mean NoC@85 and NoC@90 (clicks to IoU 0.85 / 0.90, 20 when never) and
 * mean IoU after 1, 3 and 5 clicks, per class and overall. "overall" is regions of at least 64 pixels;
 * smaller ones, where one pixel decides IoU 0.85, are kept apart as `small`.
 */
import { clicksTo } from './protocol';

export const SMALL_REGION = 64;

export interface RegionRun {
  className: string;
  area: number;
  /** IoU after each click (20 values), or for the polygon the best IoU within k vertices. */
  ious: number[];
  /** When the method reports its click counts directly (the polygon's vertices), these instead of the IoU curve. */
  noc?: { iou85: number; iou90: number };
}

export interface Figures {
  regions: number;
  noc85: number;
  noc90: number;
  iouAfter1: number;
  iouAfter3: number;
  iouAfter5: number;
}

const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
const r3 = (v: number) => +v.toFixed(3);

function figures(runs: RegionRun[]): Figures {
  return {
    regions: runs.length,
    noc85: r3(mean(runs.map((r) => r.noc?.iou85 ?? clicksTo(r.ious, 0.85)))),
    noc90: r3(mean(runs.map((r) => r.noc?.iou90 ?? clicksTo(r.ious, 0.9)))),
    iouAfter1: r3(mean(runs.map((r) => r.ious[0]))),
    iouAfter3: r3(mean(runs.map((r) => r.ious[2]))),
    iouAfter5: r3(mean(runs.map((r) => r.ious[4]))),
  };
}

/** Figures overall (regions ≥ 64 px), for the small regions, and per class (regions ≥ 64 px only). */
export function tally(runs: RegionRun[]): { overall: Figures; small: Figures; perClass: Record<string, Figures> } {
  const big = runs.filter((r) => r.area >= SMALL_REGION);
  const perClass: Record<string, Figures> = {};
  for (const name of [...new Set(big.map((r) => r.className))])
    perClass[name] = figures(big.filter((r) => r.className === name));
  return { overall: figures(big), small: figures(runs.filter((r) => r.area < SMALL_REGION)), perClass };
}
