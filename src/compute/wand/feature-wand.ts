/**
 * The feature wand on the compute side (docs/canvas.md, "The feature wand"): a sample's clicks and
 * tolerance → a mask on the label grid. A sample's first click runs the generator for its feature maps,
 * builds the embedding (feature-embedding.ts) and, with an interpreter, the class probabilities that are
 * the prior (interpreter-prior.ts); those stay in a byte-bounded LRU (sample-cache.ts), so later clicks
 * only score and threshold (click-scores.ts, region.ts).
 */
import type { LatentItem } from '../../shared/compute-api';
import { UserError } from '../../shared/errors';
import type { TrainedInterpreter } from '../../shared/interpreter-types';
import type { Disposable } from '../../shared/lifecycle';
import { WAND_MAX_CLICKS, type WandClick, type WandSelection } from '../../shared/wand';
import type { Generator } from '../generator/generator';
import { ClickScores, DEFAULT_SCORE_PARAMS, type ScoreParams } from './click-scores';
import { DEFAULT_EMBEDDING, embedFeatures, type EmbeddingOptions, type PixelEmbedding } from './feature-embedding';
import { classLogOdds, InterpreterPrior, type ClassProbabilities } from './interpreter-prior';
import { MatMul } from './matmul';
import { selectRegion, thresholdOf } from './region';
import { SampleCache } from './sample-cache';
import { SessionCache } from '../session-cache';

/** The byte budget of the samples the wand keeps (what one takes: docs/canvas.md, "The feature wand"). */
export const DEFAULT_WAND_CACHE_BYTES = 256 * 1024 * 1024;

export interface FeatureWandOptions {
  cacheBytes?: number;
  embedding?: EmbeddingOptions;
  scores?: ScoreParams;
}

export interface WandSampleRequest {
  /** Identifies the sample for the cache (the same key must always mean the same latent). */
  sampleKey: string;
  latent: LatentItem;
  clicks: WandClick[];
  tolerance: number;
  classId: number;
}

interface SampleState {
  embedding: PixelEmbedding;
  probabilities: ClassProbabilities | null;
  /**
   * The click scores of the class selected last, reused while its clicks grow one by one; one class at a
   * time, so what a sample holds besides its embedding stays one selection's bumps (a byte per pixel and click).
   */
  scores: { classId: number; scores: ClickScores } | null;
}

function sizeOf(s: SampleState): number {
  return s.embedding.data.byteLength + (s.probabilities?.probs.byteLength ?? 0);
}

export class FeatureWand implements Disposable {
  private readonly cache: SampleCache<SampleState>;
  private matmulOpen: Promise<MatMul> | null = null;
  /** Each interpreter's prior, kept for the next sample; a training retires them (`retirePriors`). */
  private readonly priors = new SessionCache<InterpreterPrior>();
  private readonly embeddingOptions: EmbeddingOptions;
  private readonly scoreParams: ScoreParams;

  constructor(options: FeatureWandOptions = {}) {
    this.cache = new SampleCache(options.cacheBytes ?? DEFAULT_WAND_CACHE_BYTES, sizeOf);
    this.embeddingOptions = options.embedding ?? DEFAULT_EMBEDDING;
    this.scoreParams = options.scores ?? DEFAULT_SCORE_PARAMS;
  }

  /** Bytes the cached samples hold now. */
  get cachedBytes(): number {
    return this.cache.bytes;
  }

  async select(
    gen: Generator,
    interpreter: { id: string; trained: TrainedInterpreter } | null,
    req: WandSampleRequest,
  ): Promise<WandSelection> {
    const R = gen.manifest.resolution;
    checkClicks(req.clicks, R);
    const key = `${gen.bundle.sha256}/${req.sampleKey}/${interpreter?.id ?? '-'}`;
    const { value, cached } = this.cache.get(key, () => this.prepare(gen, interpreter, req.latent));
    const state = await value;
    if (state.scores?.classId !== req.classId) {
      const prior = state.probabilities ? classLogOdds(state.probabilities, req.classId, R * R) : null;
      state.scores = { classId: req.classId, scores: new ClickScores(state.embedding, prior, this.scoreParams) };
    }
    const { scores } = state.scores;
    const margin = this.scoreParams.margin;
    const mask = req.clicks.some((c) => c.positive)
      ? selectRegion(scores.scoresFor(req.clicks), R, req.clicks, thresholdOf(req.tolerance, margin), 2 * margin)
      : new Uint8Array(R * R);
    return { mask, prepared: !cached, guided: scores.guided };
  }

  private async prepare(
    gen: Generator,
    interpreter: { id: string; trained: TrainedInterpreter } | null,
    latent: LatentItem,
  ): Promise<SampleState> {
    const R = gen.manifest.resolution;
    const { features } = await gen.generateFromW(latent.w, 1, latent.psi, true);
    const maps = features![0];
    const embedding = await embedFeatures(maps, R, await this.matmul(), this.embeddingOptions);
    const probabilities = interpreter
      ? await this.priors.use(
          interpreter.id,
          () => InterpreterPrior.open(interpreter.trained, R, [gen.provider.name]),
          (prior) => prior.probabilities(maps),
        )
      : null;
    return { embedding, probabilities, scores: null };
  }

  private matmul(): Promise<MatMul> {
    if (!this.matmulOpen) {
      this.matmulOpen = MatMul.open();
      this.matmulOpen.catch(() => (this.matmulOpen = null));
    }
    return this.matmulOpen;
  }

  /** Lets go of the kept priors (each once no selection uses it): the interpreter they were opened for is being replaced. */
  retirePriors(): Promise<void> {
    return this.priors.retire();
  }

  async dispose(): Promise<void> {
    this.cache.clear();
    await this.priors.dispose();
    const mm = this.matmulOpen;
    this.matmulOpen = null;
    await (await mm?.catch(() => null))?.dispose();
  }
}

function checkClicks(clicks: readonly WandClick[], R: number): void {
  if (clicks.length === 0) throw new UserError('Click inside the part to select it with the wand.');
  if (clicks.length > WAND_MAX_CLICKS)
    throw new UserError(`A wand selection holds at most ${WAND_MAX_CLICKS} clicks; keep it (Enter) and start another.`);
  for (const c of clicks)
    if (!Number.isInteger(c.x) || !Number.isInteger(c.y) || c.x < 0 || c.y < 0 || c.x >= R || c.y >= R)
      throw new UserError(`A wand click lies outside the ${R}×${R} image; click inside it.`);
}
