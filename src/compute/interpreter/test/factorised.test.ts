import { describe, expect, it } from 'vitest';
import type { FeatureShape } from '../../../shared/interpreter-types';
import type { EnsembleShape } from '../ensemble-params';
import { openLabeler } from '../label/labeler';
import { planLabeling } from '../label/plan';
import { naiveEnsembleProbs, naivePixelFeatures, voteLabel, jsUncertainty } from './naive-reference';
import { randomEnsembleParams, randomMaps } from './synthetic';

const randomParams = (s: EnsembleShape, seed: number) => randomEnsembleParams(s, seed);

describe('factorised labeling graph', () => {
  // Up- and down-sampling (32 → 16), identity (16), odd ratios (6 → 16), two maps sharing a resolution.
  const shapes: FeatureShape[] = [
    { name: 'c4', channels: 7, resolution: 4 },
    { name: 'c6', channels: 5, resolution: 6 },
    { name: 'c8', channels: 6, resolution: 8 },
    { name: 'c8b', channels: 3, resolution: 8 },
    { name: 'c16', channels: 4, resolution: 16 },
    { name: 'c32', channels: 3, resolution: 32 },
  ];
  const L = 16;
  const D = shapes.reduce((a, f) => a + f.channels, 0);
  const s: EnsembleShape = { members: 5, inputDims: D, hidden: [128, 32], numClasses: 6 };
  const eps = 1e-5;

  it('plans every order: maps at the grid, multiplied first, resized first', () => {
    const plan = planLabeling(shapes, L, s.members * s.hidden[0]);
    expect(plan.direct.map((i) => shapes[i].name)).toEqual(['c16']);
    expect(plan.groups.map((g) => g.resolution)).toEqual([4, 8]);
    expect(plan.resized.map((i) => shapes[i].name)).toEqual(['c6', 'c32']);
  });

  // 18: a grid whose rows are not a multiple of the kernel's 4- and 16-pixel blocks.
  it.each([16, 18])('equals upsample-everything, concatenate, MLP within 1e-4 at %i², and labels agree', async (L) => {
    const params = randomParams(s, 3);
    const labeler = await openLabeler(params, s, eps, shapes, L, ['cpu'], 1, { withProbs: true, tileBytes: 1 });
    const images = [randomMaps(shapes, 11), randomMaps(shapes, 12)];
    const probs = await labeler.probs(images);
    const result = await labeler.label(images);
    const P = L * L;
    let maxDiff = 0;
    let disagreements = 0;
    images.forEach((maps, b) => {
      const { x } = naivePixelFeatures(maps, L);
      const ref = naiveEnsembleProbs(x, P, params, s, eps);
      for (let m = 0; m < s.members; m++) {
        for (let c = 0; c < s.numClasses; c++) {
          for (let px = 0; px < P; px++) {
            // Graph layout [B, N, C, P].
            const got = probs[b][(m * s.numClasses + c) * P + px];
            maxDiff = Math.max(maxDiff, Math.abs(got - ref[m][px][c]));
          }
        }
      }
      for (let px = 0; px < P; px++) {
        const memberProbs = ref.map((rows) => rows[px]);
        if (voteLabel(memberProbs) !== result.labels[b][px]) disagreements++;
        expect(result.uncertainty[b][px]).toBeCloseTo(jsUncertainty(memberProbs), 4);
      }
    });
    expect(maxDiff).toBeLessThan(1e-4);
    expect(disagreements).toBe(0);
    // Members do disagree, so the vote and the uncertainty are exercised.
    expect(Math.max(...result.uncertainty[0])).toBeGreaterThan(0.01);
    expect(new Set(result.labels[0]).size).toBeGreaterThan(1);
    await labeler.dispose();
  });

  it('labels in tiles exactly as in one piece: votes equal, uncertainty within 1e-5', async () => {
    const params = randomParams(s, 3);
    const width = s.members * s.hidden[0];
    // One tile for the whole grid and whole projections, against one-row tiles and one-row windows.
    const whole = await openLabeler(params, s, eps, shapes, L, ['cpu'], 1, {
      tileBytes: L * L * width * 4,
      windowBytes: 1 << 30,
    });
    const tiled = await openLabeler(params, s, eps, shapes, L, ['cpu'], 1, { tileBytes: 1, windowBytes: 1 });
    const images = [randomMaps(shapes, 21), randomMaps(shapes, 22)];
    const [a, b] = [await whole.label(images), await tiled.label(images)];
    for (let i = 0; i < images.length; i++) {
      expect(b.labels[i]).toEqual(a.labels[i]);
      let maxDiff = 0;
      for (let p = 0; p < L * L; p++) maxDiff = Math.max(maxDiff, Math.abs(b.uncertainty[i][p] - a.uncertainty[i][p]));
      expect(maxDiff).toBeLessThan(1e-5);
    }
    // The second image reuses every buffer of the first: labeling it alone gives the same result.
    const again = await tiled.label([images[1]]);
    expect(again.labels[0]).toEqual(b.labels[1]);
    expect(Array.from(again.uncertainty[0])).toEqual(Array.from(b.uncertainty[1]));
    await whole.dispose();
    await tiled.dispose();
  });
});
