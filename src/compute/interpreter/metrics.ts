/** Annotation cleanup and segmentation metrics of the interpreter's quality report. */
import { UserError } from '../../shared/errors';

/**
 * The official cleanup (train_interpreter.py): in each annotation, every class other than background
 * (0) that covers fewer than `minPixels` pixels is set to background, so a stray brush dot does not
 * become a training class. Returns a cleaned copy and the classes erased (id and pixel count).
 */
export function cleanupSmallClasses(
  labels: Uint8Array,
  numClasses: number,
  minPixels: number,
): { labels: Uint8Array; erased: { classId: number; pixels: number }[] } {
  const counts = new Array<number>(256).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  for (let c = numClasses; c < 256; c++) {
    if (counts[c] > 0)
      throw new UserError(
        `An annotation uses class id ${c} but the project has only ${numClasses} classes; fix the annotation or add the class.`,
      );
  }
  const out = labels.slice();
  for (let i = 0; i < out.length; i++) if (out[i] !== 0 && counts[out[i]] < minPixels) out[i] = 0;
  const erased: { classId: number; pixels: number }[] = [];
  for (let c = 1; c < numClasses; c++)
    if (counts[c] > 0 && counts[c] < minPixels) erased.push({ classId: c, pixels: counts[c] });
  return { labels: out, erased };
}

/** Pooled confusion counts per class: intersection and union over all pixels added. */
export class IouAccumulator {
  readonly intersection: Float64Array;
  readonly union: Float64Array;
  /** Pixels added, and those whose prediction was right. */
  private pixels = 0;
  private right = 0;
  constructor(readonly numClasses: number) {
    this.intersection = new Float64Array(numClasses);
    this.union = new Float64Array(numClasses);
  }

  add(truth: Uint8Array, pred: Uint8Array): void {
    this.pixels += truth.length;
    for (let i = 0; i < truth.length; i++) {
      const t = truth[i],
        p = pred[i];
      if (t === p) {
        this.right++;
        this.intersection[t]++;
        this.union[t]++;
      } else {
        this.union[t]++;
        this.union[p]++;
      }
    }
  }

  /** IoU per class (null when the class is in neither truth nor prediction). */
  perClass(): (number | null)[] {
    return Array.from(this.union, (u, c) => (u > 0 ? this.intersection[c] / u : null));
  }

  /** The fraction of pixels labeled right (null before any). */
  accuracy(): number | null {
    return this.pixels ? this.right / this.pixels : null;
  }

  /** Mean over the classes with a defined IoU (background included). */
  mean(): number | null {
    const v = this.perClass().filter((x): x is number => x !== null);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  }
}

/** Folds when cvFolds is 'auto': each fold trains like the final ensemble, so a few folds, not one per sample. */
export const AUTO_CV_FOLDS = 4;

/** Fold of each sample: `k` folds (AUTO_CV_FOLDS for 'auto', at most one per sample) by sample index mod k. */
export function foldAssignment(samples: number, cvFolds: 'auto' | number): { folds: number; of: number[] } {
  let k = Math.min(cvFolds === 'auto' ? AUTO_CV_FOLDS : cvFolds, samples);
  if (samples < 2 || k < 2) k = 0;
  return { folds: k, of: Array.from({ length: samples }, (_, i) => (k ? i % k : -1)) };
}

/** Mean of the top 10 % values (at least one): the official per-image uncertainty score. */
export function topTenPercentMean(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  const k = Math.max(1, Math.floor(sorted.length * 0.1));
  let s = 0;
  for (let i = sorted.length - k; i < sorted.length; i++) s += sorted[i];
  return s / k;
}
