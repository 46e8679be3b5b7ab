/**
 * The early-decided vote of the streamed labeler (labeler.ts, option `earlyVote`).
 *
 * The label is the members' vote, ties going to the tied class of highest mean probability over all
 * members. After the first k members, a pixel's vote is decided when its leading class has more votes
 * than any other class could still reach: leader > second + (N − k). Strictly more: an equal count at
 * the end would be a tie, which the remaining members' probabilities break. So each tile runs the first
 * k members (k = ⌊N/2⌋ + 1, the fewest that can decide: all k agreeing), and then the whole ensemble on
 * the still-open pixels only, gathered and queued over tiles (one run per image, or per tile's worth of
 * pixels): their labels and uncertainty are the whole ensemble's, bit for
 * bit (every pixel's arithmetic is the same whatever the columns around it, `K_SLICE` in graph.ts and
 * the kernel's per-pixel order). So are those of the decided pixels whose first members' uncertainty
 * is among the tile's highest (rerunPixels); the other decided pixels keep the first k members'
 * uncertainty, so the uncertainty map and score are close to the whole ensemble's, not equal.
 *
 * When most of a tile stays open (members that disagree, as random weights do) the second pass costs
 * more than the first saves, so tiles then run the whole ensemble at once, trying the first pass again
 * on every PROBE_EVERY-th tile.
 */
import * as ort from 'onnxruntime-node';
import type { UpsampleKernel } from './upsample-kernel';

const PROBE_EVERY = 8;

/** Share of a tile's pixels re-run for their uncertainty (rerunPixels). */
export const RERUN_SHARE = 0.1;

/**
 * The second pass runs on a multiple of this many pixels (the open ones, padded with copies of the last,
 * labeled and dropped). onnxruntime computes the elements past the last whole vector block of a tensor
 * (and single columns) by other code, with other rounding; tiles of whole rows of a grid whose side is a
 * multiple of it have no such elements, and so the gathered pixels have none either. On other grids the
 * early-decided vote is off.
 */
export const MIN_GATHERED = 16;

/** Members of the first pass: the fewest whose unanimous vote decides (none below 3 members). */
export function firstPassMembers(members: number): number {
  return members >= 3 ? Math.floor(members / 2) + 1 : 0;
}

/**
 * Writes into `open` the tile pixels (0 … pixels − 1) whose vote the `remaining` members could still
 * change, given the first members' votes `counts` [classes, pixels]; returns how many.
 */
export function openPixels(
  counts: Float32Array,
  classes: number,
  pixels: number,
  remaining: number,
  open: Int32Array,
): number {
  let n = 0;
  for (let p = 0; p < pixels; p++) if (isOpen(counts, classes, pixels, remaining, p)) open[n++] = p;
  return n;
}

function isOpen(counts: Float32Array, classes: number, pixels: number, remaining: number, p: number): boolean {
  let first = -1;
  let second = -1;
  for (let c = 0; c < classes; c++) {
    const v = counts[c * pixels + p];
    if (v > first) {
      second = first;
      first = v;
    } else if (v > second) second = v;
  }
  return !(first > second + remaining);
}

/**
 * The pixels of a tile the whole ensemble runs on (written into `out`, increasing; returns how many):
 * the open ones (openPixels), and the decided ones whose first members' uncertainty is among the
 * RERUN_SHARE highest of the tile. The image's score is the mean of its highest pixel uncertainties, and
 * a decided pixel can be one of them; with these also exact, the scores filter the same samples as the
 * whole ensemble's (bench/early-vote.ts; without them the demo's filtered set differed by 2 of 22).
 * `sorted` is scratch of the tile's length.
 */
export function rerunPixels(
  counts: Float32Array,
  firstUncertainty: Float32Array,
  classes: number,
  remaining: number,
  sorted: Float32Array,
  out: Int32Array,
): number {
  const pixels = firstUncertainty.length;
  sorted.set(firstUncertainty);
  sorted.sort();
  // Strictly above the value below the top share: a tile whose pixels mostly share one uncertainty (0
  // where every member is sure) re-runs at most the share, not every pixel.
  const below = Math.floor((1 - RERUN_SHARE) * pixels);
  const tau = below > 0 ? sorted[below - 1] : -Infinity;
  let n = 0;
  for (let p = 0; p < pixels; p++)
    if (firstUncertainty[p] > tau || isOpen(counts, classes, pixels, remaining, p)) out[n++] = p;
  return n;
}

/** Whether a tile tries the first pass: always while it pays, else every PROBE_EVERY-th tile. */
export class EarlyVotePolicy {
  private full = 0;
  constructor(private readonly breakEven: number) {}

  tryFirstPass(): boolean {
    return this.full === 0 || this.full % PROBE_EVERY === 0;
  }

  /** After a tile: how many of its pixels stayed open (null when it ran the whole ensemble at once). */
  record(open: number | null, pixels: number): void {
    if (open === null) this.full++;
    else this.full = open / pixels < this.breakEven ? 0 : 1;
  }
}

/** What the second pass needs of the labeler: its kernel memory and the projected groups' table. */
export interface GatherContext {
  kernel: UpsampleKernel;
  /** Byte offset of each group's taps, in table order (one per projected group). */
  taps: number[];
  /** The group table (kernel.hacc's layout). */
  table: Int32Array;
  bias: number;
  scratch: number;
  width: number;
  L: number;
  /** Points the table at each group's blended row of label row y (blended by the first pass). */
  blendedRow(y: number): void;
}

/**
 * The upsampled projections plus bias of the pixels `at` (flat label pixels of the current tile, in
 * increasing order) for all `width` channels, channel-last from byte offset `out` on: the tile's bits.
 */
export function gatherUpsampled(ctx: GatherContext, at: Int32Array, n: number, out: number): void {
  const { kernel, L } = ctx;
  const groups = ctx.taps.length;
  let row = -1;
  for (let j = 0; j < n; j++) {
    const y = Math.floor(at[j] / L);
    if (y !== row) {
      ctx.blendedRow(y);
      row = y;
    }
    kernel.gacc(out + 4 * j * ctx.width, ctx.bias, ctx.width, ctx.table.byteOffset, groups, at[j] - y * L);
  }
}

/** Flat label pixels as the gathered tile graph's `at` input. */
function pixelIndices(at: Int32Array, n: number): ort.Tensor {
  const data = new BigInt64Array(n);
  for (let j = 0; j < n; j++) data[j] = BigInt(at[j]);
  return new ort.Tensor('int64', data, [n]);
}

function int64(value: number): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.of(BigInt(value)), [1]);
}

/** The labeler's parts the early-decided vote runs with (labeler.ts). */
export interface EarlyVoteParts {
  /** The tile graph of the first members (outputs label, uncertainty, counts). */
  first: ort.InferenceSession;
  /** The whole ensemble's tile graph on gathered pixels (input `at`). */
  gathered: ort.InferenceSession;
  members: number;
  firstMembers: number;
  hidden1: number;
  classes: number;
  tileRows: number;
  kernel: UpsampleKernel;
  /** Byte offsets of the tile's upsampled projections and of the open pixels' ones. */
  tileAt: number;
  openAt: number;
  gather: GatherContext;
  /** Writes the tile's upsampled projections plus bias for its first `channels` channels at tileAt. */
  upsampleTile(y0: number, y1: number, channels: number): void;
  stageMs: { upsample: number; tile: number };
}

export class EarlyVote {
  /** Pixels the first pass ran on, and those re-run by the whole ensemble (bench/early-vote.ts). */
  readonly counted = { firstPass: 0, open: 0 };
  private readonly policy: EarlyVotePolicy;
  /** Pixels waiting for the whole ensemble (flat, of the current image), their sums at openAt. */
  private readonly pending: Int32Array;
  private waiting = 0;
  private readonly capacity: number;
  private readonly tilePixels: Int32Array;
  private readonly counts: Float32Array;
  private readonly sorted: Float32Array;
  private image: { gridFeeds: Record<string, ort.Tensor>; label: Uint8Array; uncertainty: Float32Array } | null = null;

  /** `openAt` must hold (tileRows·L + MIN_GATHERED) rows of N·h1 floats. */
  constructor(private readonly parts: EarlyVoteParts) {
    const tile = parts.tileRows * parts.gather.L;
    this.policy = new EarlyVotePolicy(1 - parts.firstMembers / parts.members);
    this.capacity = tile;
    this.pending = new Int32Array(tile + MIN_GATHERED);
    this.tilePixels = new Int32Array(tile);
    this.counts = new Float32Array(parts.classes * tile);
    this.sorted = new Float32Array(tile);
  }

  /**
   * Labels the tile of rows [y0, y1) into `label` and `uncertainty` (whole-image arrays) by the first
   * members, and queues the pixels the whole ensemble must run on (`flush` runs them, at the latest
   * when the image is done); false (nothing done) when the policy says the tile should run the whole
   * ensemble at once.
   */
  async tile(
    y0: number,
    y1: number,
    gridFeeds: Record<string, ort.Tensor>,
    label: Uint8Array,
    uncertainty: Float32Array,
  ): Promise<boolean> {
    const x = this.parts;
    const L = x.gather.L;
    const pixels = (y1 - y0) * L;
    if (!this.policy.tryFirstPass()) {
      this.policy.record(null, pixels);
      return false;
    }
    this.image = { gridFeeds, label, uncertainty };
    const projected = x.gather.taps.length > 0;
    const firstWidth = x.firstMembers * x.hidden1;
    let t0 = performance.now();
    x.upsampleTile(y0, y1, firstWidth);
    const t1 = performance.now();
    x.stageMs.upsample += t1 - t0;
    const feeds: Record<string, ort.Tensor> = { ...gridFeeds, start: int64(y0 * L), end: int64(y1 * L) };
    if (projected)
      feeds.u = new ort.Tensor('float32', x.kernel.f32(x.tileAt, firstWidth * pixels), [firstWidth, pixels]);
    const counts = this.counts.subarray(0, x.classes * pixels);
    await x.first.run(feeds, {
      label: new ort.Tensor('uint8', label.subarray(y0 * L, y1 * L), [1, pixels]),
      uncertainty: new ort.Tensor('float32', uncertainty.subarray(y0 * L, y1 * L), [1, pixels]),
      counts: new ort.Tensor('float32', counts, [1, x.classes, pixels]),
    });
    t0 = performance.now();
    x.stageMs.tile += t0 - t1;
    const list = this.tilePixels;
    const n = rerunPixels(
      counts,
      uncertainty.subarray(y0 * L, y1 * L),
      x.classes,
      x.members - x.firstMembers,
      this.sorted.subarray(0, pixels),
      list,
    );
    this.policy.record(n, pixels);
    this.counted.firstPass += pixels;
    this.counted.open += n;
    if (n === 0) return true;
    if (this.waiting + n > this.capacity) await this.flush();
    t0 = performance.now();
    for (let j = 0; j < n; j++) list[j] += y0 * L;
    // The tile's blended rows are still there: gather the sums now, run them later.
    if (projected) gatherUpsampled(x.gather, list, n, x.openAt + 4 * this.waiting * x.members * x.hidden1);
    this.pending.set(list.subarray(0, n), this.waiting);
    this.waiting += n;
    x.stageMs.upsample += performance.now() - t0;
    return true;
  }

  /** Runs the whole ensemble on the queued pixels and writes their labels and uncertainty. */
  async flush(): Promise<void> {
    const x = this.parts;
    const open = this.waiting;
    if (open === 0 || !this.image) return;
    const t0 = performance.now();
    const width = x.members * x.hidden1;
    const n = Math.ceil(open / MIN_GATHERED) * MIN_GATHERED;
    const list = this.pending;
    list.fill(list[open - 1], open, n); // padding, labeled and dropped
    const sums = x.kernel.f32(x.openAt, n * width);
    for (let j = open; j < n; j++) sums.copyWithin(j * width, (open - 1) * width, open * width);
    const rest: Record<string, ort.Tensor> = { ...this.image.gridFeeds, at: pixelIndices(list, n) };
    if (x.gather.taps.length > 0) rest.u = new ort.Tensor('float32', sums, [n, width]);
    const out = await x.gathered.run(rest);
    const l = out.label.data as Uint8Array;
    const u = out.uncertainty.data as Float32Array;
    for (let j = 0; j < open; j++) {
      this.image.label[list[j]] = l[j];
      this.image.uncertainty[list[j]] = u[j];
    }
    this.waiting = 0;
    x.stageMs.tile += performance.now() - t0;
  }
}
