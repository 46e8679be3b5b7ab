/**
 * The one-graph labeler (label/one-graph.ts) against the streamed labeler: the same label bytes and the
 * same uncertainty bits, on grids that take every branch of the plan (maps projected whole and in
 * bands, resized to the grid, at the grid), products over more than 128 inputs (chained slices),
 * wide hidden layers (≥ 32 classes), batches of several images, and ties between members.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { FeatureMaps, FeatureShape } from '../../../shared/interpreter-types';
import { hiddenWidths, type EnsembleShape } from '../ensemble-params';
import { foldEnsemble } from '../label/graph';
import { openLabeler } from '../label/labeler';
import { buildLabelingModel, oneGraphPlan } from '../label/one-graph';
import type { LabelerSizing } from '../label/plan';
import { MIXED_SHAPES, randomEnsembleParams, randomMaps, labelerSizings } from './synthetic';

/** Runs the one-graph model on a batch of images (stacked along N). */
async function runOneGraph(model: Uint8Array, shapes: FeatureShape[], images: FeatureMaps[]) {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 2 });
  const feeds: Record<string, ort.Tensor> = {};
  shapes.forEach((f, i) => {
    const size = f.channels * f.resolution * f.resolution;
    const data = new Float32Array(images.length * size);
    images.forEach((maps, b) => data.set(maps[i].data, b * size));
    feeds[`f_${i}`] = new ort.Tensor('float32', data, [images.length, f.channels, f.resolution, f.resolution]);
  });
  const out = await session.run(feeds);
  await session.release();
  return {
    label: out.label.data as Uint8Array,
    uncertainty: out.uncertainty.data as Float32Array,
    score: out.score.data as Float64Array,
  };
}

async function compare(
  shapes: FeatureShape[],
  L: number,
  s: EnsembleShape,
  sizing: LabelerSizing,
  w1Scale: number,
): Promise<{ classes: number }> {
  const params = randomEnsembleParams(s, 7, w1Scale);
  const streamed = await openLabeler(params, s, 1e-5, shapes, L, ['cpu'], 0, { path: 'streamed' });
  const images = [randomMaps(shapes, 31), randomMaps(shapes, 32)];
  const expected = await streamed.label(images);
  await streamed.dispose();
  const model = buildLabelingModel({
    folded: foldEnsemble(params, s, 1e-5),
    shape: s,
    features: shapes,
    labelResolution: L,
    sizing,
  });
  const got = await runOneGraph(model, shapes, images);
  const P = L * L;
  images.forEach((_, b) => {
    expect(got.label.subarray(b * P, (b + 1) * P)).toEqual(expected.labels[b]);
    expect(got.uncertainty.subarray(b * P, (b + 1) * P)).toEqual(expected.uncertainty[b]);
    expect(got.score[b]).toBe(expected.score[b]);
  });
  return { classes: new Set(expected.labels[0]).size };
}

describe('the one-graph labeler', () => {
  const shapes = MIXED_SHAPES;
  const D = shapes.reduce((a, f) => a + f.channels, 0);

  it('plans tiles of whole rows that divide the grid', () => {
    const s: EnsembleShape = { members: 3, inputDims: D, hidden: [128, 32], numClasses: 4 };
    const plan = oneGraphPlan({
      folded: foldEnsemble(randomEnsembleParams(s, 1), s, 1e-5),
      shape: s,
      features: shapes,
      labelResolution: 16,
      sizing: { tileBytes: 5 * 16 * 384 * 4 },
    });
    expect(16 % plan.tileRows).toBe(0);
    expect(plan.tileRows).toBe(4);
  });

  it.each(labelerSizings(5))('gives the streamed labels and uncertainty bit for bit: %s', async (_name, sizing) => {
    const s: EnsembleShape = { members: 5, inputDims: D, hidden: [128, 32], numClasses: 6 };
    const { classes } = await compare(shapes, 16, s, sizing, 0.05);
    expect(classes).toBeGreaterThan(2);
  });

  it('does so with wide hidden layers (≥ 32 classes: 256 and 128 units)', async () => {
    const s: EnsembleShape = { members: 3, inputDims: D, hidden: hiddenWidths(40), numClasses: 40 };
    await compare(shapes, 16, s, { tileBytes: 1, windowBytes: 1 }, 0.05);
  });

  it('breaks ties as the streamed labeler does (four members, two classes)', async () => {
    const s: EnsembleShape = { members: 4, inputDims: D, hidden: [128, 32], numClasses: 2 };
    const params = randomEnsembleParams(s, 11, 0.05);
    const streamed = await openLabeler(params, s, 1e-5, shapes, 16, ['cpu'], 0, { withProbs: true });
    const images = [randomMaps(shapes, 41)];
    const [probs] = await streamed.probs(images);
    await streamed.dispose();
    // Ties: pixels where the members' argmax split 2–2.
    let ties = 0;
    for (let p = 0; p < 256; p++) {
      let ones = 0;
      for (let m = 0; m < 4; m++) if (probs[(m * 2 + 1) * 256 + p] > probs[m * 2 * 256 + p]) ones++;
      if (ones === 2) ties++;
    }
    expect(ties).toBeGreaterThan(10);
    await compare(shapes, 16, s, { tileBytes: 1, windowBytes: 1 }, 0.05);
  });
});
