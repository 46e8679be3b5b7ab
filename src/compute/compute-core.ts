/**
 * The compute service itself: loaded generators (by model sha256 and provider preference) and labelers
 * (by interpreter id), and the jobs that run on them. It runs wherever onnxruntime may block a thread:
 * in the CLI's own process, or in the app's and `dgs serve`'s compute process behind a port
 * (compute-process.ts). It never opens a project file: everything arrives as typed arrays.
 */
import type {
  ComputeCore,
  CountProgress,
  ExportedGraph,
  ExportGraphRequest,
  GenerateRequest,
  LabelOutput,
  LabelRequest,
  LatentItem,
  ModelSource,
  ProviderChoice,
  ProviderPreference,
  SampleBatch,
  TrainRequest,
  WandRequest,
} from '../shared/compute-api';
import type { CallControl } from '../shared/rpc';
import type { GenerationProgress, GenerationSummary } from '../shared/dataset-types';
import { UserError } from '../shared/errors';
import type { CrossValidationReport, InterpreterProgress, TrainedInterpreter } from '../shared/interpreter-types';
import { bundleFromBytes } from '../node/bundle/bundle';
import { runGeneration } from '../node/dataset-writer';
import { Generator } from './generator/generator';
import { createLabeler, type Labeler } from './interpreter';
import { TrainingService } from './training-service';
import { openLabelerThread, type LabelThreadSpec } from './interpreter/label/thread';
import { labelingPath, type LabelingPath, type LabelingPathChoice } from './interpreter/label/labeling-path';
import { LabeledGenerator } from './fused/labeled-generator';
import { SessionCache } from './session-cache';
import { writeLabeledGraph } from './fused/export-graph';
import { BATCH, featureBatch, labelFused, labeledSampleSource, type LabelingBy } from './labeled-samples';
import type { WorkerScripts } from '../node/worker-script';
import type { ForcedProvider } from './runtime/execution-provider';
import { defaultWorkerScripts } from './worker-scripts';
import type { WandSelection } from '../shared/wand';
import { FeatureWand } from './wand/feature-wand';

function modelKey(sha256: string, provider: ProviderPreference | undefined): string {
  return `${sha256}/${provider ?? 'auto'}`;
}

/** Groups consecutive items of equal ψ (at most `max` each), so each group is one generator call with the same truncation. */
function byPsi(items: LatentItem[], max: number): { psi: number; indices: number[] }[] {
  const groups: { psi: number; indices: number[] }[] = [];
  items.forEach((it, i) => {
    const last = groups[groups.length - 1];
    if (last && last.psi === it.psi && last.indices.length < max) last.indices.push(i);
    else groups.push({ psi: it.psi, indices: [i] });
  });
  return groups;
}

/** What a compute core is told by whoever starts it, instead of finding it in module state or the environment. */
export interface ComputeOptions {
  /** Where the worker threads' scripts are (default: where this copy of the code keeps them). */
  workerScripts?: WorkerScripts;
  /** A provider preference that overrides every request's (DGS_PROVIDER, read by the process's entry). */
  forceProvider?: ForcedProvider;
  /** Which labeler labels generated images: by the measured rule (labeling-path.ts) unless forced. */
  labelingPath?: LabelingPathChoice;
}

export class LocalComputeCore implements ComputeCore {
  private readonly workerScripts: WorkerScripts;
  private readonly forceProvider: ForcedProvider | undefined;
  private readonly generators = new Map<string, Generator>();
  /** The newest generator loaded for each sha256, whatever its provider preference. */
  private readonly bySha = new Map<string, Generator>();
  private readonly interpreters = new Map<string, TrainedInterpreter>();
  /** Labelers by model and interpreter, kept between calls. */
  private readonly labelers = new SessionCache<Labeler>();
  private readonly training: TrainingService;
  /** Merged generator + labeler sessions, by model, interpreter and the latent they start from. */
  private readonly fused = new SessionCache<LabeledGenerator>();
  private readonly labelingChoice: LabelingPathChoice;
  private readonly featureWand = new FeatureWand();

  constructor(options: ComputeOptions = {}) {
    this.workerScripts = options.workerScripts ?? defaultWorkerScripts();
    this.forceProvider = options.forceProvider;
    this.training = new TrainingService(this.workerScripts.train);
    this.labelingChoice = options.labelingPath ?? 'auto';
  }

  /** The preference a request's model loads with: the forced one when there is one. */
  private preference(requested: ProviderPreference | undefined): ProviderPreference | undefined {
    return this.forceProvider?.preference ?? requested;
  }

  private generator(sha256: string): Generator {
    const gen = this.bySha.get(sha256);
    if (!gen) throw new Error(`compute has no model ${sha256.slice(0, 12)} loaded`);
    return gen;
  }

  async hasModel({
    sha256,
    provider,
  }: {
    sha256: string;
    provider?: ProviderPreference;
  }): Promise<ProviderChoice | null> {
    return this.generators.get(modelKey(sha256, this.preference(provider)))?.provider ?? null;
  }

  async loadModel({
    source,
    provider,
    verify,
  }: {
    source: ModelSource;
    provider?: ProviderPreference;
    verify?: boolean;
  }): Promise<ProviderChoice> {
    const key = modelKey(source.sha256, this.preference(provider));
    const loaded = this.generators.get(key);
    if (loaded && !verify) return loaded.provider;
    const bundle = bundleFromBytes(
      source.manifestJson,
      source.mapping,
      source.synthesis,
      `the model ${source.sha256.slice(0, 12)}`,
    );
    if (bundle.sha256 !== source.sha256) {
      throw new UserError(
        'The model bundle does not match its recorded checksum; the project file is damaged — use a backup copy.',
      );
    }
    const gen = await Generator.load(
      bundle,
      { provider, forced: this.forceProvider, verifyByForward: verify },
      `the model ${bundle.manifest.name}`,
    );
    await loaded?.dispose();
    this.generators.set(key, gen);
    this.bySha.set(source.sha256, gen);
    return gen.provider;
  }

  async hasInterpreter({ id }: { id: string }): Promise<boolean> {
    return this.interpreters.has(id);
  }

  async loadInterpreter({ id, trained }: { id: string; trained: TrainedInterpreter }): Promise<void> {
    this.interpreters.set(id, trained);
  }

  /** What a labeler of this interpreter for this model needs, checked. */
  private labelerSpec(model: string, interpreterId: string): LabelThreadSpec {
    const trained = this.interpreters.get(interpreterId);
    if (!trained) throw new Error(`compute has no interpreter ${interpreterId} loaded`);
    const gen = this.generator(model);
    const R = trained.config.labelResolution;
    if (R !== gen.manifest.resolution) {
      throw new UserError(
        `The interpreter labels at ${R}² but the model makes ${gen.manifest.resolution}² images; retrain it.`,
      );
    }
    return {
      trained,
      features: gen.manifest.features,
      labelResolution: R,
      executionProviders: [gen.provider.name],
      threads: 0,
    };
  }

  /** Runs `work` on the labeler of this model and interpreter, opened on first use and kept. */
  private withLabeler<T>(model: string, interpreterId: string, work: (labeler: Labeler) => Promise<T>): Promise<T> {
    return this.labelers.use(
      `${model}/${interpreterId}`,
      async () => {
        const s = this.labelerSpec(model, interpreterId);
        return createLabeler(s.trained, s.features, s.labelResolution, s.executionProviders, s.threads);
      },
      work,
    );
  }

  /** Where labeled images of this model are made (labeling-path.ts): its generator's provider decides. */
  private labelingPathOf(model: string): LabelingPath {
    return labelingPath(this.labelingChoice, this.generator(model).provider.name);
  }

  /** Runs `work` on the merged session of a model and an interpreter, opened on first use and kept. */
  private withFused<T>(
    model: string,
    interpreterId: string,
    start: 'z' | 'w',
    work: (fused: LabeledGenerator) => Promise<T>,
  ): Promise<T> {
    return this.fused.use(
      `${model}/${interpreterId}/${start}`,
      async () => {
        const s = this.labelerSpec(model, interpreterId);
        return LabeledGenerator.open(this.generator(model).bundle, s.trained, start, s.executionProviders, s.threads);
      },
      work,
    );
  }

  async sample(
    req: { model: string; seeds: number[]; psi: number; images: boolean },
    ctl: CallControl<CountProgress> = {},
  ): Promise<SampleBatch> {
    const gen = this.generator(req.model);
    const { zDim, wDim } = gen.manifest;
    const n = req.seeds.length;
    const z = new Float32Array(n * zDim);
    const w = new Float32Array(n * wDim);
    const images: Uint8Array[] = [];
    for (let i = 0; i < n; i += BATCH) {
      ctl.signal?.throwIfAborted();
      const seeds = req.seeds.slice(i, i + BATCH);
      if (req.images) {
        const batch = await gen.generate(seeds, req.psi, false);
        z.set(batch.z, i * zDim);
        w.set(batch.w, i * wDim);
        images.push(...batch.images);
      } else {
        const zs = gen.latents(seeds);
        z.set(zs, i * zDim);
        w.set(await gen.map(zs, seeds.length), i * wDim);
      }
      ctl.onProgress?.({ done: Math.min(n, i + BATCH), total: n });
    }
    return { z, w, images };
  }

  /** Runs stored samples through the generator in ψ groups, handing each group's output to `use`. */
  private async eachGroup(
    gen: Generator,
    items: LatentItem[],
    withFeatures: boolean,
    ctl: CallControl<CountProgress>,
    use: (indices: number[], out: Awaited<ReturnType<Generator['generateFromW']>>) => Promise<void>,
  ): Promise<void> {
    const { wDim } = gen.manifest;
    let done = 0;
    for (const group of byPsi(items, withFeatures ? featureBatch(gen) : BATCH)) {
      ctl.signal?.throwIfAborted();
      const w = new Float32Array(group.indices.length * wDim);
      group.indices.forEach((i, b) => w.set(items[i].w, b * wDim));
      await use(group.indices, await gen.generateFromW(w, group.indices.length, group.psi, withFeatures));
      done += group.indices.length;
      ctl.onProgress?.({ done, total: items.length });
    }
  }

  async render(
    req: { model: string; items: LatentItem[] },
    ctl: CallControl<CountProgress> = {},
  ): Promise<{ images: Uint8Array[] }> {
    const images = new Array<Uint8Array>(req.items.length);
    await this.eachGroup(this.generator(req.model), req.items, false, ctl, async (indices, out) => {
      indices.forEach((i, b) => {
        images[i] = out.images[b];
      });
    });
    return { images };
  }

  async train(
    req: TrainRequest & { model: string },
    ctl: CallControl<InterpreterProgress> = {},
  ): Promise<TrainedInterpreter> {
    await this.retireLabelers();
    const trained = await this.training.train(this.generator(req.model), req, ctl);
    if (req.keepAs) this.interpreters.set(req.keepAs, trained);
    return trained;
  }

  /** A report replaces no interpreter (the canvas's quick check asks for one too): the labelers stay. */
  crossValidate(
    req: TrainRequest & { model: string; interpreter?: string },
    ctl: CallControl<InterpreterProgress> = {},
  ): Promise<CrossValidationReport> {
    return this.training.crossValidate(this.generator(req.model), req, ctl);
  }

  /**
   * A training lets go of the kept labelers, merged sessions and the wand's priors (each once no call
   * uses it): they were opened for the interpreter it replaces, and at full size each labeler holds a
   * generator's worth of memory.
   */
  private async retireLabelers(): Promise<void> {
    await this.labelers.retire();
    await this.fused.retire();
    await this.featureWand.retirePriors();
  }

  async label(
    req: LabelRequest & { model: string; interpreter: string },
    ctl: CallControl<CountProgress> = {},
  ): Promise<LabelOutput> {
    const gen = this.generator(req.model);
    const out: LabelOutput = { score: [], labels: [], uncertainty: [], images: [] };
    const keep = (labeled: Awaited<ReturnType<Labeler['label']>>, images: Uint8Array[]) => {
      out.score.push(...labeled.score);
      if (req.want.labels) out.labels.push(...labeled.labels);
      if (req.want.uncertainty) out.uncertainty.push(...labeled.uncertainty);
      if (req.want.images) out.images.push(...images);
    };
    const input = req.input;
    const step = featureBatch(gen);
    if (this.labelingPathOf(req.model) === 'one-graph') {
      return this.withFused(req.model, req.interpreter, 'seeds' in input ? 'z' : 'w', async (fused) => {
        const r = await labelFused(gen, fused, input, req.want.uncertainty === true, ctl);
        keep(r, r.images);
        return out;
      });
    }
    return this.withLabeler(req.model, req.interpreter, async (labeler) => {
      if ('seeds' in input) {
        for (let i = 0; i < input.seeds.length; i += step) {
          ctl.signal?.throwIfAborted();
          const batch = await gen.generate(input.seeds.slice(i, i + step), input.psi, true);
          keep(await labeler.label(batch.features!), batch.images);
          ctl.onProgress?.({ done: Math.min(input.seeds.length, i + step), total: input.seeds.length });
        }
      } else {
        await this.eachGroup(gen, input.items, true, ctl, async (_indices, batch) =>
          keep(await labeler.label(batch.features!), batch.images),
        );
      }
      return out;
    });
  }

  async generate(
    req: GenerateRequest & { model: string; interpreter: string },
    ctl: CallControl<GenerationProgress> = {},
  ): Promise<GenerationSummary> {
    // One merged session, or the streamed labeler in its own thread: generation then overlaps generating
    // a part with labeling the one before.
    if (this.labelingPathOf(req.model) === 'one-graph')
      return this.withFused(req.model, req.interpreter, 'z', (fused) => this.generateWith(req, ctl, { fused }));
    const labeler = await openLabelerThread(this.labelerSpec(req.model, req.interpreter), this.workerScripts.label);
    try {
      return await this.generateWith(req, ctl, { labeler });
    } finally {
      await labeler.dispose();
    }
  }

  private generateWith(
    req: GenerateRequest & { model: string; interpreter: string },
    ctl: CallControl<GenerationProgress>,
    by: LabelingBy,
  ): Promise<GenerationSummary> {
    const { model, interpreter, psi, classes, interpreterQuality, ...options } = req;
    const info = { modelSha256: model, interpreterId: interpreter, psi, classes, interpreterQuality };
    return runGeneration(
      labeledSampleSource(this.generator(model), info, by),
      { ...options, onProgress: ctl.onProgress, signal: ctl.signal },
      { writerScript: this.workerScripts.write },
    );
  }

  async exportGraph(req: ExportGraphRequest & { model: string; interpreter: string }): Promise<ExportedGraph> {
    const { model, interpreter, ...rest } = req;
    const s = this.labelerSpec(model, interpreter);
    return writeLabeledGraph(this.generator(model).bundle, s.trained, interpreter, rest);
  }

  async wand(req: WandRequest & { model: string; interpreter: string | null }): Promise<WandSelection> {
    const { model, interpreter, ...sample } = req;
    const gen = this.generator(model);
    if (interpreter === null) return this.featureWand.select(gen, null, sample);
    const trained = this.interpreters.get(interpreter);
    if (!trained) throw new Error(`compute has no interpreter ${interpreter} loaded`);
    return this.featureWand.select(gen, { id: interpreter, trained }, sample);
  }

  async dispose(): Promise<void> {
    await this.training.dispose();
    await this.featureWand.dispose();
    await this.labelers.dispose();
    await this.fused.dispose();
    const gens = [...this.generators.values()];
    this.generators.clear();
    this.bySha.clear();
    for (const g of gens) await g.dispose();
  }
}
