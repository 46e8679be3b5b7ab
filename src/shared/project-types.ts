/**
 * What a project file holds, as plain data both sides can use (the main process reads and writes the
 * `.dgs` file in src/engine/project; the renderer sees these shapes through the typed API).
 * docs/project-file.md describes the tables behind them.
 *
 * Every stored row has a `revision` (1 when made, +1 on every change) so that copies of a project can be
 * merged later, and a saving client may pass the revision it last saw to refuse overwriting someone
 * else's newer change. Times are ISO-8601 UTC strings.
 */

/** A label class. `index` is the value its pixels carry in label maps (0 = background) and never changes. */
export interface LabelClass {
  id: string;
  index: number;
  name: string;
  /** '#rrggbb', lower case. */
  color: string;
  /** A key that selects the class while annotating ('1', 'h', 'F2'…), or null. */
  hotkey: string | null;
  /** Locked classes are shown but not painted over by brush, fill or polygons. */
  locked: boolean;
  /** Display order in class lists (0, 1, 2…); independent of `index`. */
  position: number;
  revision: number;
  updatedAt: string;
}

/** A class to create: only the name is required (colour from the VOC palette by index). */
export interface NewLabelClass {
  name: string;
  color?: string;
  hotkey?: string | null;
  locked?: boolean;
}

export type LabelClassPatch = Partial<Pick<LabelClass, 'name' | 'color' | 'hotkey' | 'locked'>>;

/** One entry of `setClasses`: with an id it updates that class, without one it adds a class. */
export interface LabelClassSpec extends NewLabelClass {
  id?: string;
}

/** The embedded model bundle (docs/model-bundle.md), as stored. */
export interface EmbeddedModel {
  sha256: string;
  manifestJson: string;
  mapping: Uint8Array;
  synthesis: Uint8Array;
}

export interface ModelSummary {
  sha256: string;
  name: string;
  architecture: string;
  resolution: number;
}

export interface ProjectInfo {
  projectId: string;
  name: string;
  schemaVersion: number;
  createdAt: string;
  createdBy: string | null;
  model: ModelSummary | null;
  classes: LabelClass[];
  counts: { samples: number; annotations: number; interpreters: number; generationRuns: number };
  /** Everyone who saved work in the project (or in a copy merged into it). */
  contributors: Contributor[];
  /** Samples whose annotation has unresolved versions from a merge. */
  conflictCount: number;
}

export interface Contributor {
  name: string;
  firstAt: string;
  lastAt: string;
}

/** A sample is (model sha256, seed, ψ); its latents are stored too. */
export interface Sample {
  id: string;
  seed: number;
  psi: number;
  modelSha256: string;
  creator: string | null;
  createdAt: string;
  revision: number;
  /** True when the sample has a (not deleted) annotation. */
  annotated: boolean;
  /** The labeler the sample is assigned to (labeler copies, gallery filter), or null. */
  assignee: string | null;
}

export interface NewSample {
  seed: number;
  psi: number;
  /** zDim values. */
  z: Float32Array;
  /** The mapping output for z, before truncation: wDim values (or numWs·wDim for per-layer ws). */
  w: Float32Array;
  creator?: string | null;
}

export interface Latents {
  z: Float32Array;
  w: Float32Array;
}

/** Annotation metadata (no pixels). */
export interface AnnotationSummary {
  sampleId: string;
  revision: number;
  /** The revision this one was made from (0 for a first annotation). */
  baseRevision: number;
  /** This revision's id in the project's history (unique across copies). */
  versionId: string;
  author: string | null;
  updatedAt: string;
}

export interface Annotation extends AnnotationSummary {
  width: number;
  height: number;
  /** Editable vector shapes (polygons, strokes…) as the annotation tool stores them; any JSON value. */
  shapes: unknown;
  createdAt: string;
}

export interface AnnotationWithMap extends Annotation {
  /** width·height class ids, row-major; the source of truth. */
  labelMap: Uint8Array;
}

export interface AnnotationInput {
  width: number;
  height: number;
  labelMap: Uint8Array;
  shapes: unknown;
  author?: string | null;
}

export interface InterpreterSummary {
  id: string;
  modelSha256: string;
  config: unknown;
  metrics: unknown;
  provider: string | null;
  wallSeconds: number | null;
  weightsBytes: number;
  createdAt: string;
  revision: number;
}

export interface Interpreter extends InterpreterSummary {
  weights: Uint8Array;
}

export interface NewInterpreter {
  /** A new id made by the caller (to name the interpreter in compute before it is stored); else one is made. */
  id?: string;
  config: unknown;
  weights: Uint8Array;
  metrics: unknown;
  provider?: string | null;
  wallSeconds?: number | null;
}

export const GENERATION_RUN_STATUSES = ['queued', 'running', 'paused', 'cancelled', 'failed', 'done'] as const;
export type GenerationRunStatus = (typeof GENERATION_RUN_STATUSES)[number];

export interface GenerationRun {
  id: string;
  interpreterId: string | null;
  config: unknown;
  outDir: string;
  status: GenerationRunStatus;
  /** Whatever the generator reports (e.g. {done, total}); null before the first report. */
  progress: unknown;
  result: unknown;
  createdAt: string;
  updatedAt: string;
  revision: number;
}

export interface NewGenerationRun {
  config: unknown;
  outDir: string;
  interpreterId?: string | null;
}

export interface GenerationRunUpdate {
  status: GenerationRunStatus;
  progress?: unknown;
  result?: unknown;
}

/** One version of an annotation as a conflict shows it (no pixels). */
export interface AnnotationVersionInfo {
  versionId: string;
  revision: number;
  author: string | null;
  updatedAt: string;
  /** True when this side deleted the annotation. */
  deleted: boolean;
  /** The file the version came from in the merge (theirs), or null for the project's own. */
  source: string | null;
}

/**
 * An annotation changed on both sides of a merge: `mine` is the version the project shows, `theirs`
 * the other one (a sample changed in three copies lists one conflict per other version).
 */
export interface AnnotationConflict {
  sampleId: string;
  seed: number;
  psi: number;
  mine: AnnotationVersionInfo;
  theirs: AnnotationVersionInfo;
}

/** A version with its pixels, for the side-by-side view (labelMap null for a deletion). */
export interface AnnotationVersionContent extends AnnotationVersionInfo {
  width: number | null;
  height: number | null;
  labelMap: Uint8Array | null;
  shapes: unknown;
}

/** How a conflict is resolved: keep my version, take theirs, or keep both as revisions (theirs, then mine on top). */
export type ConflictChoice = 'mine' | 'theirs' | 'both';

/** An entry of an annotation's history. `kept`: its pixels are stored (it can be viewed and restored). */
export interface AnnotationRevision {
  versionId: string;
  revision: number;
  parents: string[];
  author: string | null;
  createdAt: string;
  deleted: boolean;
  kept: boolean;
  current: boolean;
}
