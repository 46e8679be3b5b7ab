/**
 * What the compute side does, in typed arrays (DESIGN §3). Compute owns onnxruntime: the generator, the
 * interpreter's training and labeling, and dataset generation. Whoever holds the project file (the CLI,
 * `dgs serve`, Electron main) sends it latents, label maps and weights and gets typed arrays back; it
 * never opens the project itself.
 *
 * Two levels:
 * - `ComputeCore` is addressed by ids (a model by sha256, an interpreter by id) and carries only data,
 *   so it crosses a process boundary as messages (src/shared/compute-protocol.ts).
 * - `Compute` is what jobs use: models and interpreters are references that know how to load
 *   themselves, so a fresh compute process (after a crash) is refilled without the job noticing.
 *   `computeOver(core)` builds one from any core, in-process or remote.
 */
import type { DatasetClass, GenerationOptions, GenerationProgress, GenerationSummary } from './dataset-types';
import type {
  CrossValidationReport,
  InterpreterProgress,
  InterpreterTrainOptions,
  TrainedInterpreter,
} from './interpreter-types';
import type { Disposable } from './lifecycle';
import type { CallControl } from './rpc';
import type { WandClick, WandSelection } from './wand';

export type ProviderPreference = 'auto' | 'cpu' | 'cuda';
export type ProviderName = 'cpu' | 'cuda';

/** Which execution provider runs, and a sentence saying why (shown by `dgs info` and the status bar). */
export interface ProviderChoice {
  name: ProviderName;
  reason: string;
}

/** A model bundle's bytes as the project stores them. */
export interface ModelSource {
  sha256: string;
  manifestJson: string;
  mapping: Uint8Array;
  synthesis: Uint8Array;
}

export interface CountProgress {
  done: number;
  total: number;
}

export interface SampleBatch {
  /** [n, zDim] */
  z: Float32Array;
  /** [n, wDim], before truncation */
  w: Float32Array;
  /** Per sample, interleaved RGB8 [R, R, 3]; empty unless asked for. */
  images: Uint8Array[];
}

/** A stored sample to run again: its w (before truncation) and ψ. */
export interface LatentItem {
  w: Float32Array;
  psi: number;
}

export interface TrainSample extends LatentItem {
  /** Class id per pixel at the model's resolution. */
  labels: Uint8Array;
}

export interface TrainRequest {
  samples: TrainSample[];
  labelResolution: number;
  numClasses: number;
  options: Partial<InterpreterTrainOptions>;
  /**
   * Keep the result loaded under this id (the id the owner stores it under), so labeling with it right
   * after training needs no round trip through the project file; its training store then waits for
   * `crossValidate` with `interpreter` set to this id, which reuses it.
   */
  keepAs?: string;
}

/** Images to label: fresh seeds at one ψ, or stored samples. */
export type LabelInput = { seeds: number[]; psi: number } | { items: LatentItem[] };

export interface LabelRequest {
  input: LabelInput;
  /** What to send back besides each image's score (per-pixel arrays are large at 1024²). */
  want: { labels?: boolean; uncertainty?: boolean; images?: boolean };
}

export interface LabelOutput {
  /** Per image: mean of its top 10 % pixel uncertainties (higher = less certain). */
  score: number[];
  labels: Uint8Array[];
  /** Per image: Jensen–Shannon divergence per pixel (nats). */
  uncertainty: Float32Array[];
  images: Uint8Array[];
}

/** Dataset generation as compute runs it: the writer's options without callbacks, plus what the files need. */
export interface GenerateRequest extends Omit<GenerationOptions, 'onProgress' | 'signal'> {
  psi: number;
  classes: DatasetClass[];
  interpreterQuality?: unknown;
}

/** A labeled graph to write (`dgs export-graph`, docs/export-graph.md). */
export interface ExportGraphRequest {
  /** The .onnx file to write; its folder is made. */
  file: string;
  /** Replace an existing file (else it is refused). */
  overwrite?: boolean;
  /** How the user allows replacing a file, for the refusal's sentence (e.g. "pass --force to replace it"). */
  replaceHint?: string;
  /** Image and label size: the model's resolution (default) or a divisor of it. */
  resolution?: number;
  /** The project's classes, in index order: their names and palette go into the model's metadata. */
  classes: DatasetClass[];
  /** The project's truncation ψ, recorded as the suggested input. */
  psi: number;
}

/** One input or output of an exported graph. */
export interface GraphValue {
  name: string;
  type: string;
  shape: (number | string)[];
  doc: string;
}

export interface ExportedGraph {
  file: string;
  bytes: number;
  resolution: number;
  classes: number;
  inputs: GraphValue[];
  outputs: GraphValue[];
}

/** A feature-wand request (docs/canvas.md): a stored sample, its clicks so far, the tolerance and the class selected. */
export interface WandRequest {
  /** The sample's id: compute keeps its features under it (with the model's sha256), so later clicks reuse them. */
  sampleKey: string;
  latent: LatentItem;
  clicks: WandClick[];
  /** 0 (only pixels very like the clicks) … 1 (the most). */
  tolerance: number;
  /** The class being selected: with an interpreter, its probabilities for this class are the wand's prior. */
  classId: number;
}

/**
 * The id-addressed compute service, served across processes by the typed RPC (src/shared/rpc.ts; its
 * method table is COMPUTE_METHODS in compute-protocol.ts). Every method takes one request object.
 */
export interface ComputeService {
  /** The provider a loaded model runs on, or null when this compute has not loaded it. */
  hasModel(req: { sha256: string; provider?: ProviderPreference }): Promise<ProviderChoice | null>;
  /** Load a model (checking its graphs against the manifest; with verify, one forward pass too). */
  loadModel(req: { source: ModelSource; provider?: ProviderPreference; verify?: boolean }): Promise<ProviderChoice>;
  hasInterpreter(req: { id: string }): Promise<boolean>;
  loadInterpreter(req: { id: string; trained: TrainedInterpreter }): Promise<void>;
  sample(
    req: { model: string; seeds: number[]; psi: number; images: boolean },
    ctl?: CallControl<CountProgress>,
  ): Promise<SampleBatch>;
  render(
    req: { model: string; items: LatentItem[] },
    ctl?: CallControl<CountProgress>,
  ): Promise<{ images: Uint8Array[] }>;
  /**
   * Train the final ensemble. Its metrics say `report: 'pending'` when a cross-validated report is to
   * follow: ask for it with `crossValidate` once the ensemble is stored.
   */
  train(req: TrainRequest & { model: string }, ctl?: CallControl<InterpreterProgress>): Promise<TrainedInterpreter>;
  /** The cross-validated report of these samples and options: of the training kept as `interpreter`, or trained now. */
  crossValidate(
    req: TrainRequest & { model: string; interpreter?: string },
    ctl?: CallControl<InterpreterProgress>,
  ): Promise<CrossValidationReport>;
  label(
    req: LabelRequest & { model: string; interpreter: string },
    ctl?: CallControl<CountProgress>,
  ): Promise<LabelOutput>;
  generate(
    req: GenerateRequest & { model: string; interpreter: string },
    ctl?: CallControl<GenerationProgress>,
  ): Promise<GenerationSummary>;
  /** Writes the generator and the interpreter as one ONNX model (docs/export-graph.md). */
  exportGraph(req: ExportGraphRequest & { model: string; interpreter: string }): Promise<ExportedGraph>;
  /** The feature wand's selection; `interpreter` (loaded) guides it when the project has one. */
  wand(req: WandRequest & { model: string; interpreter: string | null }): Promise<WandSelection>;
}

/** A compute service and the resources behind it (sessions, workers, a process): disposing releases them all. */
export interface ComputeCore extends ComputeService, Disposable {
  dispose(): Promise<void>;
}

/** A model as jobs hold it: its id, how to get its bytes when compute lacks them, and where to run it. */
export interface ModelRef {
  sha256: string;
  source: () => ModelSource;
  provider?: ProviderPreference;
}

export interface InterpreterRef {
  id: string;
  trained: () => TrainedInterpreter;
}

/** The compute service as jobs use it. */
export interface Compute extends Disposable {
  /** Load the model if needed and say where it runs; verify runs one forward pass (for new bundles). */
  model(model: ModelRef, opts?: { verify?: boolean }): Promise<ProviderChoice>;
  sample(
    model: ModelRef,
    req: { seeds: number[]; psi: number; images: boolean },
    ctl?: CallControl<CountProgress>,
  ): Promise<SampleBatch>;
  render(model: ModelRef, items: LatentItem[], ctl?: CallControl<CountProgress>): Promise<Uint8Array[]>;
  train(model: ModelRef, req: TrainRequest, ctl?: CallControl<InterpreterProgress>): Promise<TrainedInterpreter>;
  crossValidate(
    model: ModelRef,
    req: TrainRequest & { interpreter?: string },
    ctl?: CallControl<InterpreterProgress>,
  ): Promise<CrossValidationReport>;
  label(
    model: ModelRef,
    interpreter: InterpreterRef,
    req: LabelRequest,
    ctl?: CallControl<CountProgress>,
  ): Promise<LabelOutput>;
  generate(
    model: ModelRef,
    interpreter: InterpreterRef,
    req: GenerateRequest,
    ctl?: CallControl<GenerationProgress>,
  ): Promise<GenerationSummary>;
  exportGraph(model: ModelRef, interpreter: InterpreterRef, req: ExportGraphRequest): Promise<ExportedGraph>;
  wand(model: ModelRef, interpreter: InterpreterRef | null, req: WandRequest): Promise<WandSelection>;
  dispose(): Promise<void>;
}

/** A `Compute` over any core: references are loaded into the core on first use (and again after a restart). */
export function computeOver(core: ComputeCore): Compute {
  async function model(ref: ModelRef, verify = false): Promise<ProviderChoice> {
    const have = await core.hasModel({ sha256: ref.sha256, provider: ref.provider });
    return have ?? core.loadModel({ source: ref.source(), provider: ref.provider, verify });
  }
  async function interpreter(ref: InterpreterRef): Promise<void> {
    if (!(await core.hasInterpreter({ id: ref.id })))
      await core.loadInterpreter({ id: ref.id, trained: ref.trained() });
  }
  return {
    model: (ref, opts) => model(ref, opts?.verify),
    async sample(ref, req, ctl) {
      await model(ref);
      return core.sample({ model: ref.sha256, ...req }, ctl);
    },
    async render(ref, items, ctl) {
      await model(ref);
      return (await core.render({ model: ref.sha256, items }, ctl)).images;
    },
    async train(ref, req, ctl) {
      await model(ref);
      return core.train({ model: ref.sha256, ...req }, ctl);
    },
    async crossValidate(ref, req, ctl) {
      await model(ref);
      return core.crossValidate({ model: ref.sha256, ...req }, ctl);
    },
    async label(ref, it, req, ctl) {
      await model(ref);
      await interpreter(it);
      return core.label({ model: ref.sha256, interpreter: it.id, ...req }, ctl);
    },
    async generate(ref, it, req, ctl) {
      await model(ref);
      await interpreter(it);
      return core.generate({ model: ref.sha256, interpreter: it.id, ...req }, ctl);
    },
    async exportGraph(ref, it, req) {
      await model(ref);
      await interpreter(it);
      return core.exportGraph({ model: ref.sha256, interpreter: it.id, ...req });
    },
    async wand(ref, it, req) {
      await model(ref);
      if (it) await interpreter(it);
      return core.wand({ model: ref.sha256, interpreter: it?.id ?? null, ...req });
    },
    dispose: () => core.dispose(),
  };
}
