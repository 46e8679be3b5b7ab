/**
 * How the labeler computes the first layer of every member at the label grid, map by map.
 *
 * The first Linear is linear, so W·up(F) = up(W·F): a map can be multiplied first and its N·h1-channel
 * projection resized to the label grid ("multiply then resize"), or resized first and multiplied at
 * every label pixel ("resize then multiply"). The first is cheaper when the map has fewer pixels than
 * the label grid and enough channels; the second when it has more pixels (downsampling) or very few
 * channels. Maps already at the label resolution are multiplied as they are.
 *
 * The grid is computed in tiles of whole rows, so no intermediate holds a [N·h1 × L²] tensor: a tile's
 * pre-activations fit `tileBytes`. Projections of small maps are held whole (computed once per image);
 * those of large maps are held as a sliding window of source rows, each row projected once.
 */
import type { FeatureShape } from '../../../shared/interpreter-types';
import { bilinearTaps, type AxisTaps } from '../bilinear-taps';

/**
 * Cost weights, in first-layer multiply-adds (the unit of onnxruntime's matrix products): the
 * upsampling kernel works 4 floats at a time without fused multiply-add, against the matrix product's
 * 16-wide fused multiply-adds, so one of its taps costs about 4 of them; onnxruntime's Resize costs
 * hundreds per output value (measured in docs/benchmarks.md, "Labeling").
 */
const KERNEL_TAP_COST = 4;
const RESIZE_VALUE_COST = 600;

export interface LabelerSizing {
  /** Bytes of one tile's first-layer pre-activations (rows × L × N·h1 × 4); at least one row. */
  tileBytes?: number;
  /** Bytes of projection rows held per map group; smaller groups are held whole. */
  windowBytes?: number;
}

export const DEFAULT_TILE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_WINDOW_BYTES = 32 * 1024 * 1024;

/** Maps of one resolution, multiplied at that resolution and upsampled (or downsampled) as projections. */
export interface ProjectedGroup {
  resolution: number;
  /** Indices into the feature list. */
  maps: number[];
  channels: number;
  /** Source coordinate of each label coordinate (the same on both axes: maps and grid are square). */
  taps: AxisTaps;
  /** Source rows of the projection held at once. */
  windowRows: number;
  /** True when the whole projection is held (then it is computed once per image). */
  whole: boolean;
}

export interface LabelPlan {
  labelResolution: number;
  /** N·h1: the first layer's outputs over all members. */
  width: number;
  /** Maps at the label resolution, multiplied as they are. */
  direct: number[];
  /** Maps resized to the label grid, then multiplied. */
  resized: number[];
  /** Maps multiplied at their own resolution, then resized. */
  groups: ProjectedGroup[];
  /** Label rows per tile. */
  tileRows: number;
}

/** Modelled cost of one group both ways, in first-layer multiply-adds per image. */
export function orderCosts(
  channels: number,
  resolution: number,
  L: number,
  width: number,
): { multiplyFirst: number; resizeFirst: number } {
  const grid = L * L;
  // Two horizontal taps per output value, and the row blend's two taps on r of every L columns.
  const upsample = width * grid * KERNEL_TAP_COST * (2 + (2 * resolution) / L);
  return {
    multiplyFirst: channels * resolution * resolution * width + upsample,
    resizeFirst: channels * grid * width + channels * grid * RESIZE_VALUE_COST,
  };
}

export function planLabeling(
  features: FeatureShape[],
  L: number,
  width: number,
  sizing: LabelerSizing = {},
): LabelPlan {
  const tileBytes = sizing.tileBytes ?? DEFAULT_TILE_BYTES;
  const windowBytes = sizing.windowBytes ?? DEFAULT_WINDOW_BYTES;
  const rowBytes = L * width * 4;
  let tileRows = Math.max(1, Math.min(L, Math.floor(tileBytes / rowBytes)));
  tileRows = Math.ceil(L / Math.ceil(L / tileRows)); // equal tiles where possible

  const byRes = new Map<number, number[]>();
  features.forEach((f, i) => byRes.set(f.resolution, [...(byRes.get(f.resolution) ?? []), i]));
  const plan: LabelPlan = { labelResolution: L, width, direct: [], resized: [], groups: [], tileRows };
  for (const [r, maps] of [...byRes.entries()].sort((a, b) => a[0] - b[0])) {
    if (r === L) {
      plan.direct.push(...maps);
      continue;
    }
    const channels = maps.reduce((a, i) => a + features[i].channels, 0);
    const cost = orderCosts(channels, r, L, width);
    if (cost.resizeFirst < cost.multiplyFirst) {
      plan.resized.push(...maps);
      continue;
    }
    const taps = bilinearTaps(r, L);
    let span = 0;
    for (let y0 = 0; y0 < L; y0 += tileRows)
      span = Math.max(span, taps.i1[Math.min(L, y0 + tileRows) - 1] - taps.i0[y0] + 1);
    const sourceRowBytes = r * width * 4;
    const whole = r * sourceRowBytes <= windowBytes;
    const band = Math.max(1, Math.floor(windowBytes / sourceRowBytes));
    plan.groups.push({ resolution: r, maps, channels, taps, whole, windowRows: whole ? r : Math.min(r, span + band) });
  }
  // Direct maps first, then resized ones: the order of the tile graph's inputs.
  plan.direct.sort((a, b) => a - b);
  plan.resized.sort((a, b) => a - b);
  return plan;
}

/**
 * Multiply-adds of labeling one image with this plan: the projections (each source row once), the
 * product of the maps at the grid, and the second and third layers of every member. Resampling and the
 * element-wise head are not counted (as FLOP counts of generators leave out element-wise ops).
 */
export function planMultiplyAdds(
  plan: LabelPlan,
  features: FeatureShape[],
  hidden: [number, number],
  members: number,
  numClasses: number,
): number {
  const L2 = plan.labelResolution * plan.labelResolution;
  const projected = plan.groups.reduce((a, g) => a + g.channels * g.resolution * g.resolution * plan.width, 0);
  const atGrid = [...plan.direct, ...plan.resized].reduce((a, i) => a + features[i].channels, 0) * L2 * plan.width;
  return projected + atGrid + L2 * members * (hidden[0] * hidden[1] + hidden[1] * numClasses);
}

/** [offset, channels] of maps in the ensemble's input (the features' channels, in order). */
export function channelRanges(features: FeatureShape[], maps: number[]): [number, number][] {
  const offsets: number[] = [];
  features.reduce((a, f) => {
    offsets.push(a);
    return a + f.channels;
  }, 0);
  return maps.map((i) => [offsets[i], features[i].channels]);
}
