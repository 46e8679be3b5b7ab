import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { EnsembleParams, EnsembleShape } from '../ensemble-params';
import { ALL_TENSORS, tensorSize } from '../ensemble-params';
import { buildPixelModel, foldEnsemble } from '../label/graph';
import { IouAccumulator, cleanupSmallClasses, foldAssignment, topTenPercentMean } from '../metrics';

/**
 * An ensemble whose member m outputs the same hand-made probabilities q[m] at every pixel: all weights
 * zero, so the logits are the last bias, set to log q (softmax(log q) = q).
 */
function constantEnsemble(q: number[][]): { params: EnsembleParams; shape: EnsembleShape } {
  const shape: EnsembleShape = { members: q.length, inputDims: 3, hidden: [128, 32], numClasses: q[0].length };
  const params = {} as EnsembleParams;
  for (const name of ALL_TENSORS) params[name] = new Float32Array(tensorSize(name, shape));
  params.rv1.fill(1);
  params.rv2.fill(1);
  params.g1.fill(1);
  params.g2.fill(1);
  q.forEach((probs, m) =>
    probs.forEach((v, c) => {
      params.b3[m * shape.numClasses + c] = Math.log(Math.max(v, 1e-12));
    }),
  );
  return { params, shape };
}

async function labelOf(q: number[][]): Promise<{ label: number; uncertainty: number }> {
  const { params, shape } = constantEnsemble(q);
  const session = await ort.InferenceSession.create(buildPixelModel(foldEnsemble(params, shape, 1e-5), shape), {
    intraOpNumThreads: 1,
  });
  const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(2 * 3), [2, 3]) });
  await session.release();
  return { label: (out.label.data as Uint8Array)[0], uncertainty: (out.uncertainty.data as Float32Array)[0] };
}

describe('majority vote and Jensen–Shannon uncertainty', () => {
  it('takes the class most members pick, even when another class has a higher mean probability', async () => {
    // Votes: class 1, 1, 0 → 1 wins although mean p(0) = (0.98 + 0.45 + 0.45)/3 > mean p(1).
    const r = await labelOf([
      [0.98, 0.01, 0.01],
      [0.45, 0.55, 0],
      [0.45, 0.55, 0],
    ]);
    expect(r.label).toBe(1);
  });

  it('breaks a tie with the tied class of highest mean probability', async () => {
    // Votes 2 × class 0, 2 × class 2; mean p(2) = 0.6 > mean p(0) = 0.35.
    const r = await labelOf([
      [0.5, 0.1, 0.4],
      [0.5, 0.1, 0.4],
      [0.1, 0.1, 0.8],
      [0.1, 0.1, 0.8],
    ]);
    expect(r.label).toBe(2);
    // Swapping which members are confident flips the winner.
    const s = await labelOf([
      [0.9, 0.05, 0.05],
      [0.9, 0.05, 0.05],
      [0.3, 0.2, 0.5],
      [0.3, 0.2, 0.5],
    ]);
    expect(s.label).toBe(0);
  });

  it('computes H(mean p) − mean H(p) in nats', async () => {
    const q = [
      [0.7, 0.2, 0.1],
      [0.1, 0.6, 0.3],
    ];
    // mean = [0.4, 0.4, 0.2]; H(mean) = −(2·0.4 ln 0.4 + 0.2 ln 0.2); H(q0), H(q1) by hand.
    const hMean = -(2 * 0.4 * Math.log(0.4) + 0.2 * Math.log(0.2));
    const h0 = -(0.7 * Math.log(0.7) + 0.2 * Math.log(0.2) + 0.1 * Math.log(0.1));
    const h1 = -(0.1 * Math.log(0.1) + 0.6 * Math.log(0.6) + 0.3 * Math.log(0.3));
    const r = await labelOf(q);
    expect(r.uncertainty).toBeCloseTo(hMean - (h0 + h1) / 2, 5);
    // Members that agree are certain: uncertainty 0.
    expect(
      (
        await labelOf([
          [0.2, 0.3, 0.5],
          [0.2, 0.3, 0.5],
        ])
      ).uncertainty,
    ).toBeCloseTo(0, 6);
    // Two members sure of different classes: ln 2.
    expect(
      (
        await labelOf([
          [1, 0, 0],
          [0, 1, 0],
        ])
      ).uncertainty,
    ).toBeCloseTo(Math.log(2), 4);
  });

  it('scores an image by the mean of its top 10 % pixel uncertainties', () => {
    const u = Float32Array.from({ length: 100 }, (_, i) => i / 100);
    expect(topTenPercentMean(u)).toBeCloseTo((0.9 + 0.99) / 2, 6);
    expect(topTenPercentMean(Float32Array.from([0.5, 0.2]))).toBeCloseTo(0.5, 6);
  });
});

describe('annotation cleanup and metrics', () => {
  it('sets classes under 30 pixels in an annotation to background, keeps the rest', () => {
    const labels = new Uint8Array(100);
    labels.fill(1, 0, 29); // 29 pixels of class 1: removed
    labels.fill(2, 29, 59); // 30 pixels of class 2: kept
    labels[99] = 3; // a stray dot: removed
    const { labels: out, erased } = cleanupSmallClasses(labels, 4, 30);
    expect(erased).toEqual([
      { classId: 1, pixels: 29 },
      { classId: 3, pixels: 1 },
    ]);
    expect(out.subarray(0, 29).every((v) => v === 0)).toBe(true);
    expect(out.subarray(29, 59).every((v) => v === 2)).toBe(true);
    expect(out[99]).toBe(0);
    expect(labels[0]).toBe(1); // the input is not modified
  });

  it("refuses class ids beyond the project's classes with a sentence", () => {
    expect(() => cleanupSmallClasses(Uint8Array.from([0, 5]), 3, 30)).toThrow(/class id 5/);
  });

  it('pools IoU per class over all pixels', () => {
    const acc = new IouAccumulator(3);
    acc.add(Uint8Array.from([0, 0, 1, 1]), Uint8Array.from([0, 1, 1, 1]));
    expect(acc.perClass()).toEqual([1 / 2, 2 / 3, null]);
    expect(acc.mean()).toBeCloseTo((1 / 2 + 2 / 3) / 2, 10);
  });

  it('uses 4 folds by default, at most one per sample', () => {
    expect(foldAssignment(16, 'auto').folds).toBe(4);
    expect(foldAssignment(3, 'auto').folds).toBe(3);
    expect(foldAssignment(25, 20).folds).toBe(20);
    expect(foldAssignment(1, 'auto').folds).toBe(0);
    expect(foldAssignment(6, 3).of).toEqual([0, 1, 2, 0, 1, 2]);
  });
});
