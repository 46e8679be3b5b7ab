/**
 * trainInterpreter: the public entry point that turns annotated samples into a TrainedInterpreter
 * (config, serialised weights, cross-validated quality report). See docs/interpreter.md.
 */
import type {
  InterpreterProgress,
  InterpreterTrainOptions,
  TrainingRule,
  TrainedInterpreter,
} from '../../../shared/interpreter-types';
import { OFFICIAL_MIN_CLASS_FRACTION, withReport } from '../../../shared/interpreter-types';
import { UserError } from '../../../shared/errors';
import { QUICK_TRAIN_DEFAULTS } from '../../../shared/interpreter-types';
import type { FeatureMaps } from '../../../shared/interpreter-types';
import { TrainingRun } from './training-run';
import { defaultWorkerScripts } from '../../worker-scripts';

export { BN_EPS } from './training-run';

/**
 * The official DatasetGAN recipe (train_interpreter.py): batches of 64 pixels in epochs over every
 * pixel, Adam 1e-3, and early stopping on the batch loss from the 5th epoch on (`--rule official`).
 */
export const OFFICIAL_TRAIN_OPTIONS: InterpreterTrainOptions = {
  rule: 'official',
  members: 10,
  batchSize: 64,
  maxEpochs: 100,
  earlyStopFromEpoch: 4,
  patience: 50,
  heldoutPixels: 2048,
  heldoutEvery: 100,
  heldoutPatience: 4,
  heldoutMinDelta: 0.005,
  // The heldout rule's floor, 6,144 steps of 64: held-out pixel accuracy within 0.5 point of the
  // official rule's on the 512² benchmark; 4,096 steps fell short (docs/benchmarks.md, "The heldout rule's floor").
  heldoutMinPixels: 6 * 65536,
  maxSteps: null,
  seed: 0,
  lr: 1e-3,
  minClassFraction: OFFICIAL_MIN_CLASS_FRACTION,
  executionProviders: ['cpu'],
  chunkBytes: 128 * 1024 * 1024,
  cvFolds: 'auto',
  // Folds train by the final ensemble's rule (no step cap: a capped fold never learns the small parts
  // and the estimate came out far below the truth), with fewer members to keep the cost near one
  // ensemble's; bench/demo-quality.ts compares the estimate with the demo's true quality.
  cvMembers: 3,
  cvMaxEpochs: 100,
  cvMaxSteps: null,
  threads: 0,
  workers: 'auto',
  featurePrecision: 'auto',
  featureMemoryBytes: 384 * 1024 * 1024,
};

/**
 * The defaults: the official architecture, optimiser and cleanup, trained by the 'heldout' rule
 * (docs/interpreter.md, "Training rules"): random pixels per step, stopping when a held-out pixel
 * sample's loss stops improving, so the steps do not grow with the image size. A run that names no rule
 * and knows its images trains small projects by the official rule instead (defaultRule).
 */
export const DEFAULT_TRAIN_OPTIONS: InterpreterTrainOptions = {
  ...OFFICIAL_TRAIN_OPTIONS,
  rule: 'heldout',
};

/**
 * A cheaper recipe for small projects such as the built-in demo (16 samples at 64², docs/interpreter.md):
 * early stopping may end training from the second epoch on instead of the fifth. With few pixels an
 * epoch is short (1,024 steps for the demo against 65,536 for DatasetGAN's faces), so the official
 * "epoch > 3" alone would force 4,096 steps per member.
 */
export const QUICK_TRAIN_OPTIONS: InterpreterTrainOptions = { ...OFFICIAL_TRAIN_OPTIONS, ...QUICK_TRAIN_DEFAULTS };

export interface AnnotatedSample {
  features: FeatureMaps;
  labels: Uint8Array;
}

/** Samples given one by one, so the caller controls memory (e.g. regenerating features from latents). */
export interface SampleLoader {
  count: number;
  load(index: number): Promise<AnnotatedSample>;
}

export interface TrainInterpreterArgs {
  samples: AnnotatedSample[] | SampleLoader;
  labelResolution: number;
  numClasses: number;
  options?: Partial<InterpreterTrainOptions>;
  onProgress?: (e: InterpreterProgress) => void;
  signal?: AbortSignal;
  /** The training worker's script (null: members train in this thread; default: this copy's own). */
  workerScript?: URL | null;
}

function checkOptions(o: InterpreterTrainOptions, numClasses: number): void {
  const int = (v: number, min: number) => Number.isInteger(v) && v >= min;
  if (!int(o.members, 1))
    throw new UserError('The ensemble needs at least one member; set members to a whole number ≥ 1.');
  if (!int(o.batchSize, 2))
    throw new UserError('The batch size must be a whole number ≥ 2 (BatchNorm needs two pixels).');
  if (!int(o.maxEpochs, 1)) throw new UserError('maxEpochs must be a whole number ≥ 1.');
  if (!(o.lr > 0)) throw new UserError('The learning rate must be a positive number.');
  if (o.rule !== 'heldout' && o.rule !== 'official')
    throw new UserError(`The training rule must be 'heldout' or 'official', not '${String(o.rule)}'.`);
  if (!int(o.heldoutPixels, 1) || !int(o.heldoutEvery, 1) || !int(o.heldoutPatience, 1))
    throw new UserError('heldoutPixels, heldoutEvery and heldoutPatience must be whole numbers ≥ 1.');
  if (!int(o.heldoutMinPixels, 0)) throw new UserError('heldoutMinPixels must be a whole number ≥ 0.');
  if (!(o.heldoutMinDelta >= 0 && o.heldoutMinDelta < 1))
    throw new UserError('heldoutMinDelta must be a fraction from 0 to below 1.');
  if (o.workers !== 'auto' && !int(o.workers, 1)) throw new UserError("workers must be 'auto' or a whole number ≥ 1.");
  if (!(o.minClassFraction >= 0 && o.minClassFraction < 1))
    throw new UserError('The cleanup threshold (minClassFraction) must be a fraction of the image from 0 to below 1.');
  if (!int(numClasses, 2) || numClasses > 256)
    throw new UserError('The interpreter needs between 2 and 256 classes (background included).');
}

/**
 * The rule of a run that names none: 'heldout' where its floor (at most heldoutMinPixels) is below the
 * official rule's minimum of earlyStopFromEpoch epochs over every annotated pixel, else 'official'.
 * Where the cap does not bite (small projects such as the demo) the heldout rule would train as many
 * steps as the official one and add its held-out evaluations, so the official rule, whose quality on
 * the demo is the measured one, trains them (docs/interpreter.md, "Training rules").
 */
export function defaultRule(
  o: Pick<InterpreterTrainOptions, 'earlyStopFromEpoch' | 'heldoutMinPixels'>,
  images: number,
  labelResolution: number,
): TrainingRule {
  return o.earlyStopFromEpoch * images * labelResolution * labelResolution > o.heldoutMinPixels
    ? 'heldout'
    : 'official';
}

/**
 * The options with their defaults, checked: a TrainingRun's (training-run.ts) and trainInterpreter's.
 * Without `images` and `labelResolution` a run that names no rule gets the 'heldout' default.
 */
export function trainingOptions(
  args: Pick<TrainInterpreterArgs, 'options' | 'numClasses'> & { images?: number; labelResolution?: number },
): InterpreterTrainOptions {
  const o: InterpreterTrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...args.options };
  if (args.options?.rule === undefined && args.images !== undefined && args.labelResolution !== undefined)
    o.rule = defaultRule(o, args.images, args.labelResolution);
  checkOptions(o, args.numClasses);
  return o;
}

/** Loads the samples into a TrainingRun, whose ensemble and report the caller asks for in turn (and disposes). */
export function openTrainingRun(args: TrainInterpreterArgs): Promise<TrainingRun> {
  return TrainingRun.open(
    {
      samples: args.samples,
      labelResolution: args.labelResolution,
      numClasses: args.numClasses,
      options: trainingOptions({
        ...args,
        images: Array.isArray(args.samples) ? args.samples.length : args.samples.count,
      }),
      workerScript: args.workerScript === undefined ? defaultWorkerScripts().train : args.workerScript,
    },
    { onProgress: args.onProgress, signal: args.signal },
  );
}

/** Loading, the ensemble and its cross-validated report in one call. */
export async function trainInterpreter(args: TrainInterpreterArgs): Promise<TrainedInterpreter> {
  const run = await openTrainingRun(args);
  try {
    const ctl = { onProgress: args.onProgress, signal: args.signal };
    const trained = await run.ensemble(ctl);
    if (!trained.metrics.folds) return trained;
    return { ...trained, metrics: withReport(trained.metrics, await run.crossValidate(ctl)) };
  } finally {
    await run.dispose();
  }
}
