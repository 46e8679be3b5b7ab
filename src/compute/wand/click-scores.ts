/**
 * The wand's score of every pixel, which its selection thresholds (docs/canvas.md, "The feature wand").
 *
 * It starts from a prior: the interpreter's log-odds for the class being selected when the project has
 * one, otherwise a constant "not selected". Each click adds a bump, a Gaussian of the cosine distance
 * between the pixel's features and the clicked pixel's, and the bumps' heights are solved together
 * (kernel ridge regression on the clicks, with the prior as offset) so that every clicked pixel lands
 * where its click asks: at +margin or above for a positive click, −margin or below for a negative one,
 * left at its prior score when the prior already agrees. Solving them together matters: bumps fitted
 * one after another undo each other when a positive and a negative click lie on either side of a soft
 * boundary (on the demo's hair line they took turns for twenty clicks). Without a prior the first click
 * decides everything, so the bumps are wider.
 *
 * A click's bump shape is kept (a byte per pixel) while the click stays in the list, so a request that
 * adds one click computes one new bump (`dims` multiply-adds per pixel) and re-weighs the others.
 */
import type { WandClick } from '../../shared/wand';
import { EMBEDDING_SCALE, type PixelEmbedding } from './feature-embedding';

export interface ScoreParams {
  /** Cosine distance at which a bump has fallen to 1/e, with and without a prior. */
  widthWithPrior: number;
  widthAlone: number;
  /** Where a click puts its pixel (±). */
  margin: number;
  /** The constant prior without an interpreter (in margins below zero). */
  alonePrior: number;
  /** Ridge term of the heights' solve: how firmly two near-identical clicks that disagree are both honoured. */
  ridge: number;
}

export const DEFAULT_SCORE_PARAMS: ScoreParams = {
  widthWithPrior: 0.1,
  widthAlone: 1,
  margin: 1,
  alonePrior: -2,
  ridge: 0.1,
};

/** Bumps below e^-CUTOFF of their height are left out (a byte cannot hold them anyway). */
const CUTOFF = 6;
const BUMP_SCALE = 255;

/** Solves A·x = b for a small dense system (Gaussian elimination with partial pivoting); A is n×n row-major. */
export function solveSmall(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) [a[col * n + c], a[pivot * n + c]] = [a[pivot * n + c], a[col * n + c]];
      [x[col], x[pivot]] = [x[pivot], x[col]];
    }
    const d = a[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col] / d;
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c] -= f * a[col * n + c];
      x[r] -= f * x[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let c = r + 1; c < n; c++) s -= a[r * n + c] * x[c];
    x[r] = s / a[r * n + r];
  }
  return x;
}

export class ClickScores {
  /** Bump shapes by clicked pixel: round(255·exp(−cosine distance / width)). */
  private readonly bumps = new Map<number, Uint8Array>();
  private readonly width: number;
  private readonly base: Float32Array;

  constructor(
    private readonly embedding: PixelEmbedding,
    /** Per pixel log-odds of the class, or null without an interpreter. */
    prior: Float32Array | null,
    private readonly params: ScoreParams = DEFAULT_SCORE_PARAMS,
  ) {
    this.width = prior ? params.widthWithPrior : params.widthAlone;
    this.guided = prior !== null;
    this.base = prior ?? new Float32Array(embedding.resolution ** 2).fill(params.alonePrior * params.margin);
  }

  readonly guided: boolean;

  /** The scores after these clicks (a fresh array). */
  scoresFor(clicks: readonly WandClick[]): Float32Array {
    const R = this.embedding.resolution;
    const pixels = [...new Set(clicks.map((c) => c.y * R + c.x))];
    for (const p of this.bumps.keys()) if (!pixels.includes(p)) this.bumps.delete(p);
    for (const p of pixels) if (!this.bumps.has(p)) this.bumps.set(p, this.bump(p));
    // One height per clicked pixel; a pixel clicked both ways keeps its last click, and clicking it again
    // insists (its ridge term shrinks), as a labeler does when the selection did not follow.
    const wants = new Map<number, boolean>();
    const times = new Map<number, number>();
    for (const c of clicks) {
      const p = c.y * R + c.x;
      times.set(p, wants.get(p) === c.positive ? (times.get(p) ?? 0) + 1 : 1);
      wants.set(p, c.positive);
    }
    const n = pixels.length;
    const { margin, ridge } = this.params;
    const K = new Float64Array(n * n);
    const rhs = new Float64Array(n);
    pixels.forEach((pi, i) => {
      pixels.forEach((pj, j) => (K[i * n + j] = this.bumps.get(pj)![pi] / BUMP_SCALE));
      K[i * n + i] += ridge / times.get(pi)!;
      const prior = this.base[pi];
      const target = wants.get(pi) ? Math.max(margin, prior) : Math.min(-margin, prior);
      rhs[i] = target - prior;
    });
    const heights = solveSmall(K, rhs, n);
    const scores = this.base.slice();
    pixels.forEach((p, i) => {
      const h = heights[i] / BUMP_SCALE;
      const bump = this.bumps.get(p)!;
      for (let q = 0; q < scores.length; q++) if (bump[q] !== 0) scores[q] += h * bump[q];
    });
    return scores;
  }

  /** The bump of clicked pixel i over every pixel, as bytes. */
  private bump(i: number): Uint8Array {
    const { dims, resolution: R, data } = this.embedding;
    const P = R * R;
    const dot = new Float32Array(P);
    for (let d = 0; d < dims; d++) {
      const w = data[d * P + i];
      if (w === 0) continue;
      const row = data.subarray(d * P, (d + 1) * P);
      for (let p = 0; p < P; p++) dot[p] += w * row[p];
    }
    const inv = 1 / (this.width * EMBEDDING_SCALE * EMBEDDING_SCALE);
    // Distances from the click's own cosine (~1 after int8 rounding), so its bump peaks at exactly 1.
    const self = dot[i];
    const out = new Uint8Array(P);
    for (let p = 0; p < P; p++) {
      const z = (self - dot[p]) * inv;
      if (z < CUTOFF) out[p] = Math.round(BUMP_SCALE * Math.exp(-Math.max(0, z)));
    }
    return out;
  }
}
