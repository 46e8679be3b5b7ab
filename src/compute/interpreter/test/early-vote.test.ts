/**
 * The early-decided vote (label/early-vote.ts) against the whole ensemble's streamed labels: the same
 * label bytes everywhere, the same uncertainty bits on the pixels it leaves open, on grids that take
 * every branch of the plan, with members that mostly agree (many pixels decided early), that disagree
 * (the policy's fallback), and with ties.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureShape } from '../../../shared/interpreter-types';
import { ALL_TENSORS, type EnsembleParams, type EnsembleShape } from '../ensemble-params';
import { RERUN_SHARE, firstPassMembers, openPixels, rerunPixels } from '../label/early-vote';
import { openLabeler } from '../label/labeler';
import type { LabelerSizing } from '../label/plan';
import { demoShapes, MIXED_SHAPES, randomEnsembleParams, randomMaps, labelerSizings } from './synthetic';

/** Members 1 … `agreeing` − 1 made near copies of member 0 (so their votes mostly agree). */
function agreeingParams(s: EnsembleShape, seed: number, agreeing: number, w1Scale: number): EnsembleParams {
  const p = randomEnsembleParams(s, seed, w1Scale);
  for (const name of ALL_TENSORS) {
    const t = p[name];
    const per = t.length / s.members;
    for (let m = 1; m < agreeing; m++)
      for (let i = 0; i < per; i++) t[m * per + i] = t[i] * (1 + 0.05 * Math.sin(7 * i + m)); // jitter
  }
  return p;
}

/** Labels both ways; returns how many pixels the first members left open. */
async function compare(
  shapes: FeatureShape[],
  L: number,
  s: EnsembleShape,
  params: EnsembleParams,
  sizing: LabelerSizing,
): Promise<{ open: number; pixels: number }> {
  const full = await openLabeler(params, s, 1e-5, shapes, L, ['cpu'], 0, {
    ...sizing,
    path: 'streamed',
    withProbs: true,
  });
  const early = await openLabeler(params, s, 1e-5, shapes, L, ['cpu'], 0, {
    ...sizing,
    path: 'streamed',
    earlyVote: true,
  });
  const images = [randomMaps(shapes, 51), randomMaps(shapes, 52)];
  const expected = await full.label(images);
  const got = await early.label(images);
  const probs = await full.probs(images);
  await full.dispose();
  await early.dispose();
  const P = L * L;
  const k = firstPassMembers(s.members);
  const C = s.numClasses;
  let open = 0;
  images.forEach((_, b) => {
    expect(got.labels[b]).toEqual(expected.labels[b]);
    // The first members' votes, as the first pass counts them (from the logits; here from the
    // probabilities, so pixels where a member's two best probabilities round alike are left out).
    const counts = new Float32Array(C * P);
    const unsure = new Set<number>();
    for (let m = 0; m < k; m++)
      for (let p = 0; p < P; p++) {
        let best = 0;
        for (let c = 1; c < C; c++) if (probs[b][(m * C + c) * P + p] > probs[b][(m * C + best) * P + p]) best = c;
        for (let c = 0; c < C; c++)
          if (c !== best && probs[b][(m * C + c) * P + p] === probs[b][(m * C + best) * P + p]) unsure.add(p);
        counts[best * P + p]++;
      }
    const at = new Int32Array(P);
    const n = openPixels(counts, C, P, s.members - k, at);
    for (let j = 0; j < n; j++)
      if (!unsure.has(at[j])) expect(got.uncertainty[b][at[j]]).toBe(expected.uncertainty[b][at[j]]);
    open += n;
  });
  return { open, pixels: images.length * P };
}

describe('the early-decided vote', () => {
  const shapes = MIXED_SHAPES;
  const D = shapes.reduce((a, f) => a + f.channels, 0);

  it('decides a pixel only when the remaining members cannot change its vote or make a tie', () => {
    // Three classes, four pixels; 4 of 7 members counted, 3 remaining.
    const counts = Float32Array.of(4, 3, 2, 0, 0, 1, 1, 0, 0, 0, 1, 2);
    const open = new Int32Array(4);
    expect(openPixels(counts, 3, 4, 3, open)).toBe(3);
    expect([...open.subarray(0, 3)]).toEqual([1, 2, 3]); // 4–0 decided; 3–1, 2–1–1, 2–2 open
    // Re-run as well: the decided pixels of highest first-pass uncertainty (the top RERUN_SHARE).
    const pixels = 40;
    const unanimous = new Float32Array(3 * pixels).fill(0);
    unanimous.fill(4, 0, pixels); // every pixel 4–0 for class 0: decided
    const u = Float32Array.from({ length: pixels }, (_, p) => (p * 7) % pixels);
    const out = new Int32Array(pixels);
    const n = rerunPixels(unanimous, u, 3, 3, new Float32Array(pixels), out);
    expect(n).toBe(Math.ceil(RERUN_SHARE * pixels));
    for (const p of out.subarray(0, n)) expect(u[p]).toBeGreaterThanOrEqual(pixels * (1 - RERUN_SHARE));
    // All alike (every member sure): none re-run, not all.
    expect(rerunPixels(unanimous, new Float32Array(pixels), 3, 3, new Float32Array(pixels), out)).toBe(0);
    expect(firstPassMembers(10)).toBe(6);
    expect(firstPassMembers(4)).toBe(3);
    expect(firstPassMembers(2)).toBe(0);
  });

  it.each(labelerSizings(10))(
    'gives the whole ensemble’s labels with members that mostly agree: %s',
    async (_name, sizing) => {
      const s: EnsembleShape = { members: 10, inputDims: D, hidden: [128, 32], numClasses: 6 };
      const { open, pixels } = await compare(shapes, 16, s, agreeingParams(s, 7, 7, 0.05), sizing);
      expect(open).toBeGreaterThan(0);
      expect(open).toBeLessThan(pixels / 2);
    },
  );

  it('does so with members that disagree (the whole ensemble runs at once) and with wide hidden layers', async () => {
    const s: EnsembleShape = { members: 10, inputDims: D, hidden: [128, 32], numClasses: 6 };
    await compare(shapes, 16, s, randomEnsembleParams(s, 8, 0.05), { tileBytes: 1, windowBytes: 1 });
    const wide: EnsembleShape = { members: 5, inputDims: D, hidden: [256, 128], numClasses: 40 };
    await compare(shapes, 16, wide, agreeingParams(wide, 9, 4, 0.05), { tileBytes: 1, windowBytes: 1 });
  });

  it('breaks ties as the whole ensemble does (four members, two classes)', async () => {
    const s: EnsembleShape = { members: 4, inputDims: D, hidden: [128, 32], numClasses: 2 };
    const { open, pixels } = await compare(shapes, 16, s, agreeingParams(s, 11, 2, 0.05), { tileBytes: 1 });
    expect(open).toBeGreaterThan(10);
    expect(open).toBeLessThan(pixels);
  });

  it('gives the whole ensemble’s labels on the demo generator’s shapes at 64²', async () => {
    const demo = demoShapes();
    const s: EnsembleShape = {
      members: 10,
      inputDims: demo.reduce((a, f) => a + f.channels, 0),
      hidden: [128, 32],
      numClasses: 6,
    };
    const { open, pixels } = await compare(demo, 64, s, agreeingParams(s, 12, 7, 0.05), {});
    expect(open).toBeLessThan(pixels);
  });
});
