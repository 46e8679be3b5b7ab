/**
 * The 'heldout' training rule's stopping signal (docs/interpreter.md, "Training rules"): a fixed sample
 * of pixels, spread evenly over the stack's images and never trained on, whose loss each member is
 * scored on every `heldoutEvery` steps with inference's BatchNorm (heldout-graph.ts). A member stops
 * after `heldoutPatience` evaluations without a new best (lower than best · (1 − heldoutMinDelta)).
 *
 * The official rule watches each step's batch loss instead: 64 pixels, so noisy that "a new best" needs
 * luck, and it may not stop before 4 epochs over every pixel. The held-out loss is the same pixels each
 * time (differences between evaluations are not sampling noise), and the number of steps it allows does
 * not grow with the image size.
 *
 * A member is scored only on held-out pixels of its own training images: cross-validation stacks
 * members of several folds, and a fold's held-out images must not decide when its members stop.
 */
import * as ort from 'onnxruntime-node';
import { SeededRng } from '../../../shared/rng';
import type { InterpreterTrainOptions } from '../../../shared/interpreter-types';
import type { SessionWithProvider } from '../../runtime/execution-provider';
import { heldoutStateInputs } from './heldout-graph';
import type { PixelFeatureStore } from './pixel-features';

export type HeldoutSettings = Pick<
  InterpreterTrainOptions,
  'heldoutPixels' | 'heldoutEvery' | 'heldoutPatience' | 'heldoutMinDelta'
>;

/** At most this many bytes of held-out features per stack (at 6,016 dims: 1,394 pixels of the default 2,048). */
const HELDOUT_FEATURE_BYTES = 32 * 1024 * 1024;
/** At most this fraction of a class's pixels is held out, so a rare class keeps most of its pixels for training. */
const MAX_HELDOUT_FRACTION = 0.05;

/**
 * The held-out pixels of a stack, the same in every worker (drawn from the seed alone): stratified by
 * class, an equal share of the sample per class present (at most MAX_HELDOUT_FRACTION of its pixels, at
 * least one), so that a rare part (a 9-pixel nose) weighs in the stopping signal as much as the background
 * does in mIoU.
 */
export class HeldoutSample {
  readonly images: number[] = [];
  readonly pixels: number[] = [];
  readonly classes: number[] = [];
  private readonly masks = new Map<number, Uint8Array>();

  constructor(memberImages: number[][], labels: Uint8Array[], L2: number, wanted: number, dims: number, seed: number) {
    const union = [...new Set(memberImages.flat())].sort((a, b) => a - b);
    const counts = new Array<number>(256).fill(0);
    for (const img of union) for (let p = 0; p < L2; p++) counts[labels[img][p]]++;
    const present = counts.filter((c) => c > 0).length;
    const total = Math.min(wanted, Math.floor(HELDOUT_FEATURE_BYTES / (4 * dims)));
    const share = Math.max(1, Math.ceil(total / present));
    const rng = new SeededRng((seed ^ 0x48454c44) >>> 0);
    // Per class, which of its pixels (by rank in image-then-pixel order) are held out.
    const chosen = counts.map((count) => {
      const n = count ? Math.min(share, Math.max(1, Math.floor(count * MAX_HELDOUT_FRACTION))) : 0;
      const ranks = new Set<number>();
      while (ranks.size < n) ranks.add(Math.floor(rng.nextDouble() * count));
      return ranks;
    });
    const rank = new Array<number>(256).fill(0);
    for (const img of union) {
      const mask = new Uint8Array(L2);
      const l = labels[img];
      for (let p = 0; p < L2; p++) {
        const c = l[p];
        if (chosen[c].has(rank[c]++)) {
          mask[p] = 1;
          this.images.push(img);
          this.pixels.push(p);
          this.classes.push(c);
        }
      }
      this.masks.set(img, mask);
    }
  }

  get size(): number {
    return this.pixels.length;
  }

  excludes(image: number, pixel: number): boolean {
    return this.masks.get(image)?.[pixel] === 1;
  }
}

/** The held-out features gathered once per stack, each member's pixel weights, and every member's best loss so far. */
export class HeldoutMonitor {
  private readonly x: ort.Tensor;
  private readonly y: ort.Tensor;
  private readonly classes: Uint8Array;
  /** Per member: 1 for the held-out pixels of its own images, else 0. */
  private readonly weight: Uint8Array[];
  private readonly best: number[];
  private readonly bad: number[];
  /** The latest held-out loss of each member (NaN before the first evaluation). */
  readonly latest: number[];

  constructor(
    sample: HeldoutSample,
    store: PixelFeatureStore,
    labels: Uint8Array[],
    memberImages: number[][],
    private readonly session: SessionWithProvider,
    private readonly settings: HeldoutSettings,
  ) {
    const V = sample.size;
    const D = store.dims;
    const x = new Float32Array(V * D);
    const y = new BigInt64Array(V);
    for (let v = 0; v < V; v++) {
      store.gather(sample.images[v], sample.pixels[v], x, v * D);
      y[v] = BigInt(labels[sample.images[v]][sample.pixels[v]]);
    }
    this.x = new ort.Tensor('float32', x, [V, D]);
    this.y = new ort.Tensor('int64', y, [V]);
    this.classes = Uint8Array.from(sample.classes);
    this.weight = memberImages.map((imgs) => {
      const own = new Set(imgs);
      return Uint8Array.from(sample.images, (img) => (own.has(img) ? 1 : 0));
    });
    this.best = memberImages.map(() => Number.POSITIVE_INFINITY);
    this.bad = memberImages.map(() => 0);
    this.latest = memberImages.map(() => Number.NaN);
  }

  /** Evaluations since member m's last new best. */
  stale(m: number): number {
    return this.bad[m];
  }

  /**
   * Scores the stack's members (state of `slots`, member indices) on the held-out pixels and returns,
   * per slot, whether that member has stopped improving.
   */
  async evaluate(state: Record<string, ort.Tensor>, slots: number[], active: Uint8Array): Promise<boolean[]> {
    const out = await this.session.session.run({
      X: this.x,
      Y: this.y,
      ...heldoutStateInputs(state),
    });
    const ce = out.ce.data as Float32Array;
    const V = this.y.dims[0];
    const { heldoutPatience, heldoutMinDelta } = this.settings;
    const sum = new Float64Array(256);
    const n = new Uint32Array(256);
    return slots.map((m, s) => {
      if (!active[s]) return false;
      const w = this.weight[m];
      sum.fill(0);
      n.fill(0);
      for (let v = 0; v < V; v++)
        if (w[v]) {
          sum[this.classes[v]] += ce[s * V + v];
          n[this.classes[v]]++;
        }
      // The mean over classes of each class's mean loss, as mIoU weighs classes.
      let loss = 0;
      let present = 0;
      for (let c = 0; c < 256; c++)
        if (n[c]) {
          loss += sum[c] / n[c];
          present++;
        }
      // A member without held-out pixels of its own trains to its cap.
      if (!present) return false;
      loss /= present;
      this.latest[m] = loss;
      if (loss < this.best[m] * (1 - heldoutMinDelta)) {
        this.best[m] = loss;
        this.bad[m] = 0;
      } else this.bad[m] += 1;
      return this.bad[m] >= heldoutPatience;
    });
  }
}
