/**
 * Which pixels each member trains on, step by step, under the two training rules (docs/interpreter.md,
 * "Training rules"). A pixel is named by its index in the member's own images: image i of
 * `memberImages[m]`, pixel p of it, is i·L² + p.
 *
 *  - EpochPermutations ('official'): epochs over every pixel, each a fresh seeded Fisher–Yates shuffle
 *    (like a shuffled DataLoader), full batches only (drop_last); a chunk never crosses an epoch end.
 *  - RandomDraws ('heldout'): every batch drawn at random, with replacement across steps, from all the
 *    member's pixels except the held-out sample; an "epoch" is only a count (pixels ÷ batch steps) for
 *    the epoch cap and progress. No per-member permutation is kept (4 bytes per pixel per member).
 */
import { SeededRng } from '../../../shared/rng';

export interface PixelDraws {
  /** The epoch member m is in. */
  epoch(m: number): number;
  /** Steps member m may take before its next boundary (an epoch end, when chunks must stop there). */
  stepsToBoundary(m: number): number;
  /** Writes member m's batch for the chunk's step kk (pixel indices in its own images) into `rows`. */
  batch(m: number, kk: number, rows: Uint32Array): void;
  /** Member m took k more steps; false when that reached the epoch cap (it stops). */
  advance(m: number, k: number): boolean;
}

/** Member m's shuffle stream: distinct per member, fixed by the seed. */
export function memberRng(seed: number, member: number): SeededRng {
  return new SeededRng((Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(member + 1, 0x85ebca6b)) >>> 0);
}

function shuffleInPlace(a: Uint32Array, rng: SeededRng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.nextDouble() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

interface DrawArgs {
  /** Pixels of each member's images (images × L²). */
  pixels: number[];
  batch: number;
  maxEpochs: number;
  seed: number;
  /** Global index of the first member (its stream). */
  firstMember: number;
}

export class EpochPermutations implements PixelDraws {
  private readonly perms: Uint32Array[];
  private readonly rngs: SeededRng[];
  private readonly epochs: number[];
  /** Steps done in the member's current epoch. */
  private readonly cursor: number[];
  private readonly stepsPerEpoch: number[];

  constructor(private readonly a: DrawArgs) {
    this.perms = a.pixels.map((p) => new Uint32Array(p));
    this.rngs = a.pixels.map((_, m) => memberRng(a.seed, a.firstMember + m));
    this.epochs = a.pixels.map(() => 0);
    this.cursor = a.pixels.map(() => 0);
    this.stepsPerEpoch = a.pixels.map((p) => Math.floor(p / a.batch));
    for (let m = 0; m < a.pixels.length; m++) this.reshuffle(m);
  }

  private reshuffle(m: number): void {
    const perm = this.perms[m];
    for (let i = 0; i < perm.length; i++) perm[i] = i;
    shuffleInPlace(perm, this.rngs[m]);
  }

  epoch(m: number): number {
    return this.epochs[m];
  }

  stepsToBoundary(m: number): number {
    return this.stepsPerEpoch[m] - this.cursor[m];
  }

  batch(m: number, kk: number, rows: Uint32Array): void {
    const B = this.a.batch;
    rows.set(this.perms[m].subarray((this.cursor[m] + kk) * B, (this.cursor[m] + kk + 1) * B));
  }

  advance(m: number, k: number): boolean {
    this.cursor[m] += k;
    if (this.cursor[m] < this.stepsPerEpoch[m]) return true;
    this.cursor[m] = 0;
    if (this.epochs[m] + 1 >= this.a.maxEpochs) return false;
    this.epochs[m] += 1;
    this.reshuffle(m);
    return true;
  }
}

export class RandomDraws implements PixelDraws {
  private readonly rngs: SeededRng[];
  private readonly steps: number[];

  /** `excluded(m, pixel)`: whether member m's pixel is held out (never trained on). */
  constructor(
    private readonly a: DrawArgs,
    private readonly excluded: (m: number, pixel: number) => boolean,
  ) {
    this.rngs = a.pixels.map((_, m) => memberRng(a.seed, a.firstMember + m));
    this.steps = a.pixels.map(() => 0);
  }

  epoch(m: number): number {
    return Math.floor((this.steps[m] * this.a.batch) / this.a.pixels[m]);
  }

  /** No boundary but the epoch cap. */
  stepsToBoundary(m: number): number {
    return Math.max(1, Math.ceil((this.a.maxEpochs * this.a.pixels[m]) / this.a.batch) - this.steps[m]);
  }

  /** The member's next B draws of its stream (a chunk asks for its steps in order, kk = 0, 1, …). */
  batch(m: number, _kk: number, rows: Uint32Array): void {
    const P = this.a.pixels[m];
    const rng = this.rngs[m];
    for (let j = 0; j < this.a.batch; j++) {
      let px: number;
      do px = Math.floor(rng.nextDouble() * P);
      while (this.excluded(m, px));
      rows[j] = px;
    }
  }

  advance(m: number, k: number): boolean {
    this.steps[m] += k;
    return this.steps[m] * this.a.batch < this.a.maxEpochs * this.a.pixels[m];
  }
}
