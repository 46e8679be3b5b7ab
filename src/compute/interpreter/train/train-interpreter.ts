/**
 * trainInterpreter: the public entry point that turns annotated samples into a TrainedInterpreter
 * (config, serialised weights, cross-validated quality report). See docs/interpreter.md.
 */
import type {
  CleanupReport,
  FeatureMaps,
  FeatureShape,
  InterpreterConfig,
  InterpreterMetrics,
  InterpreterProgress,
  InterpreterTrainOptions,
  TrainedInterpreter,
} from '../../../shared/interpreter-types';
import { OFFICIAL_MIN_CLASS_FRACTION, minClassPixelsFor } from '../../../shared/interpreter-types';
import { UserError } from '../../../shared/errors';
import { QUICK_TRAIN_DEFAULTS } from '../../../shared/interpreter-types';
import { hiddenWidths, serializeEnsemble, sliceMembers } from '../ensemble-params';
import { IouAccumulator, cleanupSmallClasses, foldAssignment } from '../metrics';
import { openLabeler } from '../label/labeler';
import { PixelFeatureStore } from './pixel-features';
import { poolSpec, trainEnsembleParallel, workerCount } from './ensemble-workers';
import { TrainingPool } from './pool';
import { defaultWorkerScripts } from '../../worker-scripts';

export const BN_EPS = 1e-5;

/** Defaults: the official recipe for the ensemble; a cheaper one for cross-validation folds (docs/interpreter.md). */
export const DEFAULT_TRAIN_OPTIONS: InterpreterTrainOptions = {
  members: 10,
  batchSize: 64,
  maxEpochs: 100,
  earlyStopFromEpoch: 4,
  patience: 50,
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
 * A cheaper recipe for small projects such as the built-in demo (16 samples at 64², docs/interpreter.md):
 * early stopping may end training from the second epoch on instead of the fifth. With few pixels an
 * epoch is short (1,024 steps for the demo against 65,536 for DatasetGAN's faces), so the official
 * "epoch > 3" alone would force 4,096 steps per member.
 */
export const QUICK_TRAIN_OPTIONS: InterpreterTrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...QUICK_TRAIN_DEFAULTS };

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
  if (o.workers !== 'auto' && !int(o.workers, 1)) throw new UserError("workers must be 'auto' or a whole number ≥ 1.");
  if (!(o.minClassFraction >= 0 && o.minClassFraction < 1))
    throw new UserError('The cleanup threshold (minClassFraction) must be a fraction of the image from 0 to below 1.');
  if (!int(numClasses, 2) || numClasses > 256)
    throw new UserError('The interpreter needs between 2 and 256 classes (background included).');
}

/**
 * Loads every sample into the native-resolution store and returns the cleaned labels; `onShapes` is
 * called once the first sample has given the feature shapes (the training workers start then).
 */
async function loadSamples(
  args: TrainInterpreterArgs,
  o: InterpreterTrainOptions,
  onShapes: (dims: number) => void,
): Promise<{ store: PixelFeatureStore; labels: Uint8Array[]; features: FeatureShape[]; cleanup: CleanupReport }> {
  const count = Array.isArray(args.samples) ? args.samples.length : args.samples.count;
  if (count < 1) throw new UserError('Annotate at least one sample before training the interpreter.');
  const get = async (i: number) =>
    Array.isArray(args.samples) ? args.samples[i] : (args.samples as SampleLoader).load(i);
  let store: PixelFeatureStore | null = null;
  let features: FeatureShape[] = [];
  const labels: Uint8Array[] = [];
  const L = args.labelResolution;
  const cleanup: CleanupReport = {
    minClassFraction: o.minClassFraction,
    minClassPixels: minClassPixelsFor(o.minClassFraction, L),
    erased: [],
  };
  for (let i = 0; i < count; i++) {
    args.signal?.throwIfAborted();
    const s = await get(i);
    if (!store) {
      features = s.features.map((f) => ({ name: f.name, channels: f.channels, resolution: f.resolution }));
      // 'auto': exact float32 features when they all fit the budget (the demo: 23 MB), since the
      // gather reads them faster; float16, half the memory, when they would not.
      const f32Bytes = count * features.reduce((a, f) => a + 4 * f.channels * f.resolution * f.resolution, 0);
      const precision =
        o.featurePrecision === 'auto' ? (f32Bytes <= o.featureMemoryBytes ? 'float32' : 'float16') : o.featurePrecision;
      store = new PixelFeatureStore(features, L, {
        precision,
        memoryBytes: o.featureMemoryBytes,
        expectedImages: count,
      });
      onShapes(store.dims);
    }
    if (s.labels.length !== L * L)
      throw new UserError(
        `Annotation ${i + 1} has ${s.labels.length} pixels but the label resolution is ${L}×${L}; re-save it at that size.`,
      );
    const cleaned = cleanupSmallClasses(s.labels, args.numClasses, cleanup.minClassPixels);
    labels.push(cleaned.labels);
    cleanup.erased.push(...cleaned.erased.map((e) => ({ annotation: i, ...e })));
    store.addImage(s.features);
  }
  return { store: store as PixelFeatureStore, labels, features, cleanup };
}

/** The training threads of one trainInterpreter call: opened once the feature dims are known, disposed at its end. */
interface Threads {
  pool: TrainingPool | null;
  script: URL | null;
}

function openPool(o: InterpreterTrainOptions, numClasses: number, dims: number, script: URL | null) {
  // Cross-validation stacks have at most max(members, cvMembers) members (see foldsPerStack).
  const size = workerCount(o.workers, Math.max(o.members, o.cvMembers), o.executionProviders, dims);
  return TrainingPool.open(size, poolSpec(numClasses, o, size), script);
}

export async function trainInterpreter(args: TrainInterpreterArgs): Promise<TrainedInterpreter> {
  const t0 = performance.now();
  const o: InterpreterTrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...args.options };
  checkOptions(o, args.numClasses);
  const threads: Threads = {
    pool: null,
    script: args.workerScript === undefined ? defaultWorkerScripts().train : args.workerScript,
  };
  try {
    return await train(args, o, threads, t0);
  } finally {
    await threads.pool?.dispose();
  }
}

async function train(
  args: TrainInterpreterArgs,
  o: InterpreterTrainOptions,
  threads: Threads,
  t0: number,
): Promise<TrainedInterpreter> {
  // The workers start as soon as the first sample gives the feature dims, while the rest load.
  const { store, labels, features, cleanup } = await loadSamples(args, o, (dims) => {
    threads.pool = openPool(o, args.numClasses, dims, threads.script);
  });
  try {
    const base = {
      batchSize: o.batchSize,
      earlyStopFromEpoch: o.earlyStopFromEpoch,
      patience: o.patience,
      lr: o.lr,
      chunkBytes: o.chunkBytes,
      executionProviders: o.executionProviders,
      threads: o.threads,
    };
    const hidden = hiddenWidths(args.numClasses);
    const all = labels.map((_, i) => i);

    // Cross-validation first (it tells the user early what to annotate next). Folds train together
    // in stacks (fold × cvMembers members, each member on its fold's training images); each fold's
    // members then label its held-out samples with the factorised graph.
    const tCv = performance.now();
    const { folds, of } = foldAssignment(labels.length, o.cvFolds);
    const acc = new IouAccumulator(args.numClasses);
    // Folds train in stacks of at most `members` members, so CV never needs more memory than the
    // final ensemble (16 LOO folds at 512² would otherwise stack 16 members of 6,016 inputs).
    const foldsPerStack = Math.max(1, Math.floor(Math.max(o.members, o.cvMembers) / o.cvMembers));
    for (let first = 0; first < folds; first += foldsPerStack) {
      const stack = Array.from({ length: Math.min(foldsPerStack, folds - first) }, (_, j) => first + j);
      const cv = await trainEnsembleParallel({
        workers: o.workers,
        pool: threads.pool,
        workerScript: threads.script,
        store,
        labels,
        numClasses: args.numClasses,
        hidden,
        signal: args.signal,
        memberImages: stack.flatMap((f) => new Array<number[]>(o.cvMembers).fill(all.filter((i) => of[i] !== f))),
        // As the final ensemble trains (its epoch and step caps apply to the folds too).
        settings: {
          ...base,
          maxEpochs: Math.min(o.cvMaxEpochs, o.maxEpochs),
          maxSteps: o.cvMaxSteps ?? o.maxSteps,
          seed: (o.seed + 7919 * (first + 1)) >>> 0,
        },
        onProgress: (e) => args.onProgress?.({ ...e, phase: 'cv', fold: first, folds, stackFolds: stack.length }),
      });
      for (const [j, f] of stack.entries()) {
        args.signal?.throwIfAborted();
        const fold = sliceMembers(cv.params, cv.shape, j * o.cvMembers, (j + 1) * o.cvMembers);
        const labeler = await openLabeler(
          fold.params,
          fold.shape,
          BN_EPS,
          features,
          args.labelResolution,
          o.executionProviders,
          o.threads,
        );
        try {
          for (const img of all.filter((i) => of[i] === f)) {
            const r = await labeler.label([store.readMaps(img)]);
            acc.add(labels[img], r.labels[0]);
          }
        } finally {
          await labeler.dispose();
        }
      }
    }
    const cvSeconds = (performance.now() - tCv) / 1000;

    const r = await trainEnsembleParallel({
      workers: o.workers,
      pool: threads.pool,
      workerScript: threads.script,
      store,
      labels,
      numClasses: args.numClasses,
      hidden,
      signal: args.signal,
      memberImages: new Array<number[]>(o.members).fill(all),
      settings: { ...base, maxEpochs: o.maxEpochs, maxSteps: o.maxSteps, seed: o.seed },
      onProgress: (e) => args.onProgress?.({ ...e, phase: 'ensemble', fold: 0, folds: 1, stackFolds: 1 }),
    });

    const classPixels = new Array<number>(args.numClasses).fill(0);
    for (const l of labels) for (let i = 0; i < l.length; i++) classPixels[l[i]]++;
    const config: InterpreterConfig = {
      format: 'dgs-interpreter',
      version: 1,
      members: o.members,
      numClasses: args.numClasses,
      labelResolution: args.labelResolution,
      features,
      hidden,
      bnEps: BN_EPS,
      options: o,
      stepsPerMember: r.steps,
      stoppedEpoch: r.stoppedEpoch,
    };
    const metrics: InterpreterMetrics = {
      miou: folds ? acc.mean() : null,
      perClass: folds ? acc.perClass() : new Array(args.numClasses).fill(null),
      folds,
      cvMembers: o.cvMembers,
      wallSeconds: (performance.now() - t0) / 1000,
      cvSeconds,
      provider: r.provider,
      classPixels,
      cleanup,
      trainingThreads: r.threads ?? 1,
    };
    return { config, weights: serializeEnsemble(r.params, r.shape), metrics };
  } finally {
    store.dispose();
  }
}
