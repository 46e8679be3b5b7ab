/**
 * The step settings of bench/interpreter's children: one TrainSettings turned into our trainer's options
 * and into the naive reference's, so that both train by the same rule (docs/benchmarks.md, "Interpreter").
 * Ours may also train by its default 'heldout' rule (`rule`), which the naive reference does not have:
 * cross-validation compares the two methods by the official rule, the quality figures compare the rules.
 */
import type { InterpreterTrainOptions } from '../../src/shared/interpreter-types';
import { OFFICIAL_TRAIN_OPTIONS } from '../../src/compute/interpreter/train/train-interpreter';
import type { NaiveOptions } from './naive';

export interface TrainSettings {
  /** Ours' rule ('official' for a like-for-like comparison with the naive reference). */
  rule: 'official' | 'heldout';
  members: number;
  maxSteps: number | null;
  earlyStopFromEpoch: number;
  seed: number;
  threads: number;
  fp16Copy: boolean;
  /** Options of ours that differ from the product's (e.g. an earlier floor of the heldout rule). */
  options?: Partial<InterpreterTrainOptions>;
}

/** The official cleanup, 30 pixels of an annotation, for both (as a fraction of the L×L grid for ours). */
const MIN_CLASS_PIXELS = 30;

export function naiveOptions(s: TrainSettings): NaiveOptions {
  const o = OFFICIAL_TRAIN_OPTIONS;
  return {
    members: s.members,
    batchSize: o.batchSize,
    maxEpochs: o.maxEpochs,
    earlyStopFromEpoch: s.earlyStopFromEpoch,
    patience: o.patience,
    maxSteps: s.maxSteps,
    seed: s.seed,
    lr: o.lr,
    minClassPixels: MIN_CLASS_PIXELS,
    fp16Copy: s.fp16Copy,
    threads: s.threads,
  };
}

/** Ours training `s.members` members on all images (no cross-validation). */
export function oursTrainOptions(s: TrainSettings, L: number): Partial<InterpreterTrainOptions> {
  return {
    ...(s.rule === 'official' ? OFFICIAL_TRAIN_OPTIONS : {}),
    rule: s.rule,
    members: s.members,
    maxSteps: s.maxSteps,
    earlyStopFromEpoch: s.earlyStopFromEpoch,
    seed: s.seed,
    threads: s.threads,
    cvFolds: 0,
    minClassFraction: MIN_CLASS_PIXELS / (L * L),
    ...s.options,
  };
}

/**
 * Ours cross-validating with `folds` folds of `s.members` members each, every fold trained exactly as the
 * naive reference trains its fold (same rule, epoch and step caps): the report alone, no final ensemble.
 */
export function oursCvOptions(s: TrainSettings, L: number, folds: number): Partial<InterpreterTrainOptions> {
  return {
    ...oursTrainOptions(s, L),
    cvFolds: folds,
    cvMembers: s.members,
    cvMaxSteps: s.maxSteps,
    cvMaxEpochs: OFFICIAL_TRAIN_OPTIONS.maxEpochs,
  };
}
