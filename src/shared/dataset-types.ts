/**
 * The contract between the dataset writer (src/node/dataset-writer: samples → dataset folder) and whoever
 * produces labeled samples (generator runtime + interpreter labeler, plugged in by the caller).
 */

export interface DatasetClass {
  index: number;
  name: string;
  /** #rrggbb */
  color: string;
}

export interface SourceInfo {
  modelSha256: string;
  interpreterId: string;
  psi: number;
  /** Images are resolution × resolution. */
  resolution: number;
  zDim: number;
  /** Class 0 is background (src/shared/presets.ts). */
  classes: DatasetClass[];
  /** Whatever the interpreter reports about its quality (e.g. cross-validated mIoU); shown in README.md. */
  interpreterQuality?: unknown;
}

export interface LabeledSample {
  seed: number;
  z: Float32Array;
  /** resolution × resolution × 3, row-major RGB8. */
  rgb: Uint8Array;
  /** resolution × resolution class ids (majority vote of the ensemble). */
  labels: Uint8Array;
  /** Image uncertainty: mean of the top 10 % per-pixel JS divergences (higher = less certain). */
  score: number;
}

export interface LabeledSampleSource {
  info: SourceInfo;
  /** Samples for these seeds, in the same order. */
  produce(seeds: number[]): Promise<LabeledSample[]>;
}

/** Dataset formats beyond the always-written PNGs. */
export const EXPORT_FORMATS = ['coco', 'voc', 'yolo'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ShardSpec {
  index: number;
  count: number;
}

export interface GenerationProgress {
  /** Samples of this run (or shard) finished, including those found on resume. */
  done: number;
  total: number;
  /** Seconds left at the rate measured since this call started (null until one batch is done). */
  etaSeconds: number | null;
  /** Samples per second since this call started. */
  rate: number;
  phase: 'generating' | 'finalizing' | 'finished';
}

export interface GenerationOptions {
  outDir: string;
  /** Samples to KEEP after the uncertainty filter (docs/dataset-format.md "Counts"). */
  count: number;
  /** Fraction of the most uncertain generated samples to drop, 0 ≤ filter < 1 (default 0.1). */
  filter?: number;
  /** Formats beyond the always-written PNGs + manifest ('png' is accepted and ignored). */
  formats?: string[];
  /** Base seed S: sample k has seed (S + k) mod 2^32. */
  seed?: number;
  /** Samples per produce() call. Does not change any output byte. */
  batch?: number;
  shard?: ShardSpec | null;
  resume?: boolean;
  onProgress?: (p: GenerationProgress) => void;
  signal?: AbortSignal;
  /** Where the first kept samples are drawn as a grid (default true). */
  contactSheet?: boolean;
}

export interface GenerationSummary {
  outDir: string;
  /** 'finished': dataset complete; 'shard-finished': this shard's samples are all written (merge next);
   *  'cancelled': stopped by the signal, resumable with resume: true. */
  status: 'finished' | 'shard-finished' | 'cancelled';
  /** Samples this run (all shards together) generates before filtering. */
  generated: number;
  /** Samples of this folder written so far (this shard's slice for a shard). */
  done: number;
  /** Only when status is 'finished'. */
  kept: number | null;
  filtered: number | null;
  formats: ExportFormat[];
}

/** Everything in run.json. No timestamps or paths: two runs of the same inputs write the same bytes. */
export interface RunPlan extends Omit<SourceInfo, 'interpreterQuality'> {
  format: 'dgs-generation-run';
  version: 1;
  /** Samples kept after filtering. */
  count: number;
  /** Samples generated (all shards together): the smallest G with G − ⌊filter·G⌋ ≥ count. */
  generated: number;
  filter: number;
  formats: ExportFormat[];
  seed: number;
  shard: ShardSpec | null;
  /** As reported by the source (shown in README.md); null when none. */
  interpreterQuality: unknown;
}

export type SampleStatus = 'pending' | 'kept' | 'filtered';

/** One line of manifest.jsonl. */
export interface ManifestRecord {
  name: string;
  /** k: position of the sample in the whole run (seed = base seed + k). */
  index: number;
  seed: number;
  psi: number;
  modelSha256: string;
  interpreterId: string;
  /** Uncertainty: mean of the top 10 % per-pixel JS divergences. Higher = less certain. */
  score: number;
  /** 'pending' until the whole run is filtered (shards stay pending until merged). */
  status: SampleStatus;
}

/** Per-class annotation of one image, before ids are assigned (COCO's `segmentation` twice: RLE and polygons), kept in the work folder until the run finishes. */
export interface CocoFragmentAnnotation {
  category_id: number;
  /** pycocotools compressed counts; size is the image's [height, width]. */
  rle: string;
  area: number;
  bbox: [number, number, number, number];
  /** One polygon per 4-connected region, flat [x, y, …] in pixel-corner coordinates. */
  polygons: number[][];
}
