/**
 * Types of the style interpreter (docs/interpreter.md): the per-pixel MLP ensemble of DatasetGAN that
 * reads the generator's feature maps. Pure data, shared by the compute process, main and the renderer
 * (which shows progress and the quality report).
 */

/** One feature map of one image at its native resolution: data is [channels, resolution, resolution]. */
export interface FeatureMapData {
  name: string;
  channels: number;
  resolution: number;
  data: Float32Array;
}

/** The feature maps of one image, in the bundle manifest's `features` order. */
export type FeatureMaps = FeatureMapData[];

/** The shape of a feature map as the interpreter needs it (a subset of the manifest's entry). */
export interface FeatureShape {
  name: string;
  channels: number;
  resolution: number;
}

/**
 * How members pick their pixels and when they stop (docs/interpreter.md, "Training rules"):
 *  - 'heldout' (the default where the official minimum is larger than its floor, defaultRule): each step draws its batch at random from all training pixels, and a member
 *    stops when its loss on a fixed held-out pixel sample stops improving — a number of steps that does
 *    not grow with the image size;
 *  - 'official': DatasetGAN's rule — epochs over every pixel, and from epoch `earlyStopFromEpoch` on a
 *    stop after more than `patience` steps without a new best batch loss (at least 4 epochs: 65,536
 *    steps per member for 16 annotations at 256²).
 */
export type TrainingRule = 'heldout' | 'official';

/** Training options. Defaults: docs/interpreter.md; `rule: 'official'` is the official DatasetGAN recipe. */
export interface InterpreterTrainOptions {
  /** Which pixels a step trains on and when a member stops (TrainingRule). */
  rule: TrainingRule;
  /** Ensemble size (official: 10). */
  members: number;
  /** Pixels per optimiser step (official: 64). */
  batchSize: number;
  /** Upper bound on epochs (official: 100); under 'heldout' an epoch is pixels ÷ batch steps. */
  maxEpochs: number;
  /** 'official': early stopping is checked from this epoch index on (official: epoch > 3, i.e. 4). */
  earlyStopFromEpoch: number;
  /** 'official': stop when no new best batch loss for more than this many steps (official: 50). */
  patience: number;
  /** 'heldout': pixels set aside (never trained on) whose loss decides when a member stops. */
  heldoutPixels: number;
  /** 'heldout': steps between two evaluations of the held-out loss. */
  heldoutEvery: number;
  /** 'heldout': a member stops after this many evaluations without a new best held-out loss. */
  heldoutPatience: number;
  /** 'heldout': a held-out loss is a new best only when below best · (1 − this). */
  heldoutMinDelta: number;
  /**
   * 'heldout': no member stops before it has trained on this many pixels, or on `earlyStopFromEpoch`
   * epochs if those are fewer (the official rule's minimum, which is this many on 24 annotations at 64²).
   */
  heldoutMinPixels: number;
  /** Hard cap on optimiser steps per member (null: none). For benchmarks and quick previews. */
  maxSteps: number | null;
  /** Seed of weight initialisation and shuffles. */
  seed: number;
  /** Adam learning rate (official: 1e-3). */
  lr: number;
  /**
   * Annotation cleanup: in each annotation, a class covering less than this fraction of the image
   * becomes background. The official rule is 30 pixels at 512² (OFFICIAL_MIN_CLASS_FRACTION), written
   * for 512² annotations; as a fraction it keeps a 64² eye (~25 pixels) that "30 pixels" would erase.
   */
  minClassFraction: number;
  /** onnxruntime execution providers, tried as a list (default ['cpu']). */
  executionProviders: string[];
  /** Bytes of pixel features handed to one training call, shared by the training workers (bounds memory; more steps per call if larger). */
  chunkBytes: number;
  /** Cross-validation folds: 'auto' (4, at most one per sample), a number k ≥ 2, or 0 for none. */
  cvFolds: 'auto' | number;
  /** Members trained per cross-validation fold (fewer than the final ensemble to keep CV affordable). */
  cvMembers: number;
  /** Epoch cap for cross-validation folds. */
  cvMaxEpochs: number;
  /** Step cap per member for cross-validation folds (null: none). */
  cvMaxSteps: number | null;
  /** onnxruntime intra-op threads per training worker (0: the cores divided among the workers). */
  threads: number;
  /** Worker threads that train groups of members in parallel: 'auto' = one per core (at most 4) on the CPU, 1 on a GPU or above 2,048 feature dims. */
  workers: 'auto' | number;
  /**
   * How the training store keeps feature maps: float16 (half the memory, like the official cache),
   * float32, or 'auto': float32 when every map of every sample fits featureMemoryBytes at float32, else float16.
   */
  featurePrecision: 'auto' | 'float16' | 'float32';
  /** Bytes of feature maps kept in memory while training; larger maps spill to a temporary file. */
  featureMemoryBytes: number;
}

/**
 * The cheaper recipe for small projects such as the built-in demo (docs/interpreter.md, "quick"): early
 * stopping may end training from the second epoch on instead of the fifth.
 */
export const QUICK_TRAIN_DEFAULTS: Partial<InterpreterTrainOptions> = { earlyStopFromEpoch: 1 };

/**
 * What the UI shows while training, one event per optimiser call (not per step). Training runs in
 * stages: 'load' (the samples' feature maps into the training store), 'ensemble' (the final model, which
 * is usable as soon as it is stored), then 'cv' (the cross-validated report).
 */
export interface InterpreterProgress {
  phase: 'load' | 'ensemble' | 'cv';
  /** Folds train together in stacks of up to `members` members: fold is the stack's first fold; folds is their number (1 for the ensemble). */
  fold: number;
  folds: number;
  /** Folds in this stack (1 for the ensemble): the stack trains folds fold … fold + stackFolds − 1. */
  stackFolds: number;
  /** Members still training / members in the stack (folds × cvMembers while cross-validating); samples loaded / samples in 'load'. */
  member: number;
  members: number;
  epoch: number;
  /** Optimiser steps done per member so far (the stack's longest-training member). */
  step: number;
  /** Mean batch loss over the members that took a step in the last call; the last finite one when none did (NaN before any). */
  loss: number;
  /** How far this stage is, 0–1: samples loaded, or member-steps done against the steps the stage is expected to take. */
  fraction: number;
  /** Seconds this stage is expected to take still, from its pace so far (null until there is one). */
  etaSeconds: number | null;
}

/** The cross-validation folds a progress event's stack trains, counted from 1: "folds 1–3 of 4", "fold 4 of 4". */
export function cvFoldsText(p: Pick<InterpreterProgress, 'fold' | 'folds' | 'stackFolds'>): string {
  const last = Math.min(p.folds, p.fold + Math.max(1, p.stackFolds));
  return last > p.fold + 1 ? `folds ${p.fold + 1}–${last} of ${p.folds}` : `fold ${p.fold + 1} of ${p.folds}`;
}

/** Everything needed to rebuild the interpreter from its weights. Stored as JSON in the project (schema: interpreter-envelopes.ts). */
export interface InterpreterConfig {
  format: 'dgs-interpreter';
  version: 1;
  members: number;
  numClasses: number;
  labelResolution: number;
  /** Feature maps in input order (names must match the bundle's). */
  features: FeatureShape[];
  /** Hidden widths: [128, 32] when numClasses < 32, else [256, 128]. */
  hidden: [number, number];
  bnEps: number;
  /** The options training ran with (all of them since this build; older configs lack those added since). */
  options: Partial<InterpreterTrainOptions>;
  /** Per member: optimiser steps taken and the epoch it stopped in. */
  stepsPerMember: number[];
  stoppedEpoch: number[];
}

/** The official cleanup threshold, 30 pixels of a 512² annotation, as a fraction of the image (≈ 1.1·10⁻⁴). */
export const OFFICIAL_MIN_CLASS_FRACTION = 30 / (512 * 512);

/** Pixels below which a class is erased from an L×L annotation: the fraction of L², rounded, at least 1. */
export function minClassPixelsFor(fraction: number, labelResolution: number): number {
  return Math.max(1, Math.round(fraction * labelResolution * labelResolution));
}

/** What the annotation cleanup did: its threshold, and every class it erased from an annotation. */
export interface CleanupReport {
  minClassFraction: number;
  minClassPixels: number;
  /** annotation: index in the training samples' order; pixels: the class's pixels in that annotation. */
  erased: { annotation: number; classId: number; pixels: number }[];
}

export interface InterpreterMetrics {
  /** Cross-validated mean IoU over classes present in the annotations (null when no CV ran). */
  miou: number | null;
  /** IoU per class id (null: class absent from both truth and prediction in every fold). */
  perClass: (number | null)[];
  folds: number;
  /** Members of each fold's ensemble. Absent in older projects. */
  cvMembers?: number;
  /** Wall-clock seconds of the whole training: loading and the ensemble, and the CV once its report is in. */
  wallSeconds: number;
  cvSeconds: number;
  /**
   * Where the cross-validated report is. Absent: it is in (or there is none: `folds` 0). 'pending': the
   * ensemble was stored first and its report is being computed; 'stopped': that run was cancelled or
   * failed, so the ensemble has no report. Absent in older projects.
   */
  report?: 'pending' | 'stopped';
  /** Pixel accuracy pooled over the held-out pixels of every fold (null without CV). Absent in older projects. */
  pixelAccuracy?: number | null;
  /** Seconds loading the samples into the training store, and training the final ensemble. Absent in older projects. */
  loadSeconds?: number;
  ensembleSeconds?: number;
  /** Execution provider that actually ran. */
  provider: string;
  /** Pixels per class over the (cleaned) annotations. */
  classPixels: number[];
  /** The annotation cleanup's threshold and what it erased. Absent in older projects. */
  cleanup?: CleanupReport;
  /** Threads that trained the members (worker threads of the pool, or 1: the caller's own). Absent in older projects. */
  trainingThreads?: number;
}

/** The cross-validated report, which follows the stored ensemble (InterpreterMetrics' fields of the same names). */
export type CrossValidationReport = Pick<
  InterpreterMetrics,
  'miou' | 'perClass' | 'folds' | 'cvMembers' | 'cvSeconds' | 'pixelAccuracy'
>;

/** An ensemble's metrics with its report in: the report's fields, and its seconds added to the wall time. */
export function withReport(metrics: InterpreterMetrics, report: CrossValidationReport): InterpreterMetrics {
  const { report: _pending, ...rest } = metrics;
  return { ...rest, ...report, wallSeconds: metrics.wallSeconds + report.cvSeconds };
}

export interface TrainedInterpreter {
  config: InterpreterConfig;
  /** Serialised weights (layout in docs/interpreter.md). */
  weights: Uint8Array;
  metrics: InterpreterMetrics;
}

export interface LabelResult {
  /** Per image: class id per pixel at the label resolution, row-major. */
  labels: Uint8Array[];
  /** Per image: Jensen–Shannon uncertainty per pixel (nats). */
  uncertainty: Float32Array[];
  /** Per image: mean of its top 10 % pixel uncertainties (higher = less certain). */
  score: number[];
}
