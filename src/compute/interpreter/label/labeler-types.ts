/** The labeler's interface and options, and its projected groups' windows (labeler.ts builds them). */
import type { FeatureMaps, LabelResult } from '../../../shared/interpreter-types';
import type * as ort from 'onnxruntime-node';
import type { LabelerSizing, ProjectedGroup } from './plan';
import type { LabelingPathChoice } from './labeling-path';

export interface Labeler {
  /** Execution provider the graph runs on. */
  readonly provider: string;
  /** Labels images given as their feature maps (manifest order, native resolution). */
  label(featuresBatch: FeatureMaps[]): Promise<LabelResult>;
  /** Wall milliseconds spent so far in each stage (where the time goes; bench/labeling.ts prints it). */
  readonly stageMs: LabelerStageMs;
  dispose(): Promise<void>;
}

export interface LabelerStageMs {
  /** Maps multiplied at their own resolution (onnxruntime). */
  project: number;
  /** Projections resampled to the label grid and summed with the bias (the WebAssembly kernel). */
  upsample: number;
  /** Maps resized to the label grid (onnxruntime), when some are. */
  resize: number;
  /** Tiles: the product at the grid, the rest of every member, vote and uncertainty (onnxruntime). */
  tile: number;
}

export interface LabelerRunOptions extends LabelerSizing {
  /** Also expose per-member probabilities (tests; the streamed labeler only). */
  withProbs?: boolean;
  /** Which labeler: by the rule of labeling-path.ts unless forced. */
  path?: LabelingPathChoice;
  /**
   * The early-decided vote (early-vote.ts; the streamed labeler only, not with `withProbs`, on grids
   * whose side is a multiple of 16): the same labels; the uncertainty of most decided pixels from the
   * first members only. Off by default: it pays only where most pixels are decided early (trained
   * ensembles), and there only at large grids (docs/benchmarks.md, issue 18).
   */
  earlyVote?: boolean;
}

/** A projected group's sliding window over its source rows, in the kernel's memory. */
export interface GroupWindow {
  group: ProjectedGroup;
  /** The group's own projection session when it is held in bands (whole groups share one session). */
  session: ort.InferenceSession | null;
  /** Byte offsets: the held projection rows, the blended rows (one per tile row with the early vote), the taps. */
  rows: number;
  blended: number;
  taps: number;
  rowBytes: number;
  /** First source row held, and how many. */
  lo: number;
  held: number;
}
