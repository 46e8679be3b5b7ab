/** The labeler's interface and options (labeler.ts builds it). */
import type { FeatureMaps, LabelResult } from '../../../shared/interpreter-types';
import type { LabelerSizing } from './plan';
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
