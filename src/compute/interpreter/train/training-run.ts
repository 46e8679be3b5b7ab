/**
 * One training of the style interpreter, in the order a user waits for it (docs/interpreter.md): the
 * annotated samples go into the training store once, the final ensemble trains and is handed back to be
 * stored (pre-label, suggest and generate can start), then the cross-validated report trains its folds
 * on the same store and threads and follows. Each step is its own call so that whoever holds the project
 * stores the ensemble before the report is in; `trainInterpreter` runs all three.
 */
import type {
  CleanupReport,
  CrossValidationReport,
  FeatureShape,
  InterpreterConfig,
  InterpreterMetrics,
  InterpreterProgress,
  InterpreterTrainOptions,
  TrainedInterpreter,
} from '../../../shared/interpreter-types';
import { minClassPixelsFor } from '../../../shared/interpreter-types';
import { UserError } from '../../../shared/errors';
import type { Disposable } from '../../../shared/lifecycle';
import { hiddenWidths, serializeEnsemble, sliceMembers } from '../ensemble-params';
import { IouAccumulator, cleanupSmallClasses, foldAssignment } from '../metrics';
import { openLabeler } from '../label/labeler';
import { PixelFeatureStore } from './pixel-features';
import { poolSpec, trainEnsembleParallel, workerCount } from './ensemble-workers';
import type { EnsembleTrainSettings } from './ensemble';
import { TrainingPool } from './pool';
import { StageProgress } from './stage-progress';
import type { AnnotatedSample, SampleLoader } from './train-interpreter';

export const BN_EPS = 1e-5;

/** What a stage call takes besides the run: its progress and its cancel. */
export interface StageControl {
  onProgress?: (e: InterpreterProgress) => void;
  signal?: AbortSignal;
}

export interface OpenRunArgs {
  samples: AnnotatedSample[] | SampleLoader;
  labelResolution: number;
  numClasses: number;
  /** Complete options (trainInterpreter fills the defaults and checks them). */
  options: InterpreterTrainOptions;
  /** The training worker's script (null: members train in the caller's thread). */
  workerScript: URL | null;
}

/** The samples in the store, their cleaned labels, and the training threads (opened once the dims are known). */
interface Loaded {
  store: PixelFeatureStore;
  labels: Uint8Array[];
  features: FeatureShape[];
  cleanup: CleanupReport;
}

export class TrainingRun implements Disposable {
  private pool: TrainingPool | null = null;
  private loaded: Loaded | null = null;
  private loadSeconds = 0;
  private disposed = false;

  private constructor(private readonly a: OpenRunArgs) {}

  /** Loads every sample into the training store (the 'load' stage); the training threads start meanwhile. */
  static async open(a: OpenRunArgs, ctl: StageControl = {}): Promise<TrainingRun> {
    const run = new TrainingRun(a);
    try {
      const t0 = performance.now();
      run.loaded = await run.load(ctl);
      run.loadSeconds = (performance.now() - t0) / 1000;
      return run;
    } catch (e) {
      await run.dispose();
      throw e;
    }
  }

  private get data(): Loaded {
    if (!this.loaded || this.disposed) throw new Error('The training run was disposed.');
    return this.loaded;
  }

  private async load(ctl: StageControl): Promise<Loaded> {
    const { samples, labelResolution: L, numClasses, options: o } = this.a;
    const count = Array.isArray(samples) ? samples.length : samples.count;
    if (count < 1) throw new UserError('Annotate at least one sample before training the interpreter.');
    const get = async (i: number) => (Array.isArray(samples) ? samples[i] : (samples as SampleLoader).load(i));
    const progress = new StageProgress('load', 1, ctl.onProgress);
    let store: PixelFeatureStore | null = null;
    let features: FeatureShape[] = [];
    const labels: Uint8Array[] = [];
    const cleanup: CleanupReport = {
      minClassFraction: o.minClassFraction,
      minClassPixels: minClassPixelsFor(o.minClassFraction, L),
      erased: [],
    };
    try {
      for (let i = 0; i < count; i++) {
        ctl.signal?.throwIfAborted();
        const s = await get(i);
        if (!store) {
          features = s.features.map((f) => ({ name: f.name, channels: f.channels, resolution: f.resolution }));
          // 'auto': exact float32 features when they all fit the budget (the demo: 23 MB), since the
          // gather reads them faster; float16, half the memory, when they would not.
          const f32Bytes = count * features.reduce((a, f) => a + 4 * f.channels * f.resolution * f.resolution, 0);
          const precision =
            o.featurePrecision === 'auto'
              ? f32Bytes <= o.featureMemoryBytes
                ? 'float32'
                : 'float16'
              : o.featurePrecision;
          store = new PixelFeatureStore(features, L, {
            precision,
            memoryBytes: o.featureMemoryBytes,
            expectedImages: count,
          });
          // The workers start now and load while the other samples do.
          const size = workerCount(o.workers, Math.max(o.members, o.cvMembers), o.executionProviders, store.dims);
          this.pool = TrainingPool.open(size, poolSpec(numClasses, o, size), this.a.workerScript);
        }
        if (s.labels.length !== L * L)
          throw new UserError(
            `Annotation ${i + 1} has ${s.labels.length} pixels but the label resolution is ${L}×${L}; re-save it at that size.`,
          );
        const cleaned = cleanupSmallClasses(s.labels, numClasses, cleanup.minClassPixels);
        labels.push(cleaned.labels);
        cleanup.erased.push(...cleaned.erased.map((e) => ({ annotation: i, ...e })));
        await store.addImage(s.features);
        progress.loaded(i + 1, count);
      }
      await store?.flush();
    } catch (e) {
      await store?.dispose();
      throw e;
    }
    return { store: store as PixelFeatureStore, labels, features, cleanup };
  }

  private settings(maxEpochs: number, maxSteps: number | null, seed: number): EnsembleTrainSettings {
    const o = this.a.options;
    return {
      rule: o.rule,
      batchSize: o.batchSize,
      earlyStopFromEpoch: o.earlyStopFromEpoch,
      patience: o.patience,
      heldoutPixels: o.heldoutPixels,
      heldoutEvery: o.heldoutEvery,
      heldoutPatience: o.heldoutPatience,
      heldoutMinDelta: o.heldoutMinDelta,
      heldoutMinPixels: o.heldoutMinPixels,
      lr: o.lr,
      chunkBytes: o.chunkBytes,
      executionProviders: o.executionProviders,
      threads: o.threads,
      maxEpochs,
      maxSteps,
      seed,
    };
  }

  private train(
    memberImages: number[][],
    settings: EnsembleTrainSettings,
    signal: AbortSignal | undefined,
    onProgress: Parameters<typeof trainEnsembleParallel>[0]['onProgress'],
  ) {
    const { store, labels } = this.data;
    return trainEnsembleParallel({
      workers: this.a.options.workers,
      pool: this.pool,
      workerScript: this.a.workerScript,
      store,
      labels,
      numClasses: this.a.numClasses,
      hidden: hiddenWidths(this.a.numClasses),
      signal,
      memberImages,
      settings,
      onProgress,
    });
  }

  /** The final ensemble, with its metrics; `report: 'pending'` when the cross-validated report is to follow. */
  async ensemble(ctl: StageControl = {}): Promise<TrainedInterpreter> {
    const t0 = performance.now();
    const { labels, features, cleanup } = this.data;
    const o = this.a.options;
    const all = labels.map((_, i) => i);
    const progress = new StageProgress('ensemble', 1, ctl.onProgress);
    progress.begin(1, o.members, 1);
    const r = await this.train(
      new Array<number[]>(o.members).fill(all),
      this.settings(o.maxEpochs, o.maxSteps, o.seed),
      ctl.signal,
      (e) => progress.stack(0, 0, 1, 1, e),
    );
    const ensembleSeconds = (performance.now() - t0) / 1000;
    const classPixels = new Array<number>(this.a.numClasses).fill(0);
    for (const l of labels) for (let i = 0; i < l.length; i++) classPixels[l[i]]++;
    const hidden = hiddenWidths(this.a.numClasses);
    const config: InterpreterConfig = {
      format: 'dgs-interpreter',
      version: 1,
      members: o.members,
      numClasses: this.a.numClasses,
      labelResolution: this.a.labelResolution,
      features,
      hidden,
      bnEps: BN_EPS,
      options: o,
      stepsPerMember: r.steps,
      stoppedEpoch: r.stoppedEpoch,
    };
    const { folds } = foldAssignment(labels.length, o.cvFolds);
    const metrics: InterpreterMetrics = {
      miou: null,
      perClass: new Array(this.a.numClasses).fill(null),
      folds,
      cvMembers: o.cvMembers,
      wallSeconds: this.loadSeconds + ensembleSeconds,
      cvSeconds: 0,
      ...(folds ? { report: 'pending' as const } : {}),
      pixelAccuracy: null,
      loadSeconds: this.loadSeconds,
      ensembleSeconds,
      provider: r.provider,
      classPixels,
      cleanup,
      trainingThreads: r.threads ?? 1,
    };
    return { config, weights: serializeEnsemble(r.params, r.shape), metrics };
  }

  /**
   * The cross-validated report: folds train together in stacks (fold × cvMembers members, each on its
   * fold's training images, by the final ensemble's rule); each fold's members then label its held-out
   * samples with the factorised labeler, on their maps read back from the store.
   */
  async crossValidate(ctl: StageControl = {}): Promise<CrossValidationReport> {
    const t0 = performance.now();
    const { store, labels, features } = this.data;
    const o = this.a.options;
    const all = labels.map((_, i) => i);
    const { folds, of } = foldAssignment(labels.length, o.cvFolds);
    const acc = new IouAccumulator(this.a.numClasses);
    // Folds train in stacks of at most `members` members, so CV never needs more memory than the
    // final ensemble (16 leave-one-out folds at 512² would otherwise stack 16 members of 6,016 inputs).
    const foldsPerStack = Math.max(1, Math.floor(Math.max(o.members, o.cvMembers) / o.cvMembers));
    const stacks = Math.ceil(folds / foldsPerStack);
    const progress = new StageProgress('cv', stacks, ctl.onProgress);
    progress.begin(folds, Math.min(folds, foldsPerStack) * o.cvMembers, Math.min(folds, foldsPerStack));
    for (let first = 0, index = 0; first < folds; first += foldsPerStack, index++) {
      const stack = Array.from({ length: Math.min(foldsPerStack, folds - first) }, (_, j) => first + j);
      const cv = await this.train(
        stack.flatMap((f) => new Array<number[]>(o.cvMembers).fill(all.filter((i) => of[i] !== f))),
        // As the final ensemble trains (its epoch and step caps apply to the folds too).
        this.settings(
          Math.min(o.cvMaxEpochs, o.maxEpochs),
          o.cvMaxSteps ?? o.maxSteps,
          (o.seed + 7919 * (first + 1)) >>> 0,
        ),
        ctl.signal,
        (e) => progress.stack(index, first, folds, stack.length, e),
      );
      progress.stackDone(cv.steps.reduce((a, b) => a + b, 0));
      for (const [j, f] of stack.entries()) {
        ctl.signal?.throwIfAborted();
        const fold = sliceMembers(cv.params, cv.shape, j * o.cvMembers, (j + 1) * o.cvMembers);
        const labeler = await openLabeler(
          fold.params,
          fold.shape,
          BN_EPS,
          features,
          this.a.labelResolution,
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
    return {
      miou: folds ? acc.mean() : null,
      perClass: folds ? acc.perClass() : new Array(this.a.numClasses).fill(null),
      folds,
      cvMembers: o.cvMembers,
      cvSeconds: (performance.now() - t0) / 1000,
      pixelAccuracy: folds ? acc.accuracy() : null,
    };
  }

  /** Lets the store (and its spill file) and the training threads go. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.loaded?.store.dispose();
    await this.pool?.dispose();
  }
}
