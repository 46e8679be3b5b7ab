/**
 * The sessions a stack trains with: the training chunk (graph.ts) and the 'heldout' rule's loss
 * (heldout-graph.ts), opened the same way by a pool worker and by trainEnsemble in the caller's thread.
 * Without a memory pattern: a chunk's inputs change shape (its steps, the members still training), and
 * the pattern's per-shape block measured larger and no faster (docs/benchmarks.md, "The training's memory").
 *
 * A chunk trains one of two ways, with the same state in and out:
 *  - 'loop': all K steps in one run of the Loop model, every update in the graph. On a GPU this keeps
 *    the state on the device for the whole chunk.
 *  - 'step': one run of the step model per step, and w1's Adam update in one WebAssembly pass between
 *    runs (first-layer-update.ts). On the CPU the update's 9 graph operators cost more than the round
 *    trip of w1's gradient (docs/benchmarks.md, "The first layer's update outside the graph").
 */
import * as ort from 'onnxruntime-node';
import type { InterpreterTrainOptions } from '../../../shared/interpreter-types';
import type { Disposable } from '../../../shared/lifecycle';
import { openSession, type ProviderChoice, type SessionWithProvider } from '../../runtime/execution-provider';
import { buildStepModel, buildTrainModel, stepStateNames, type TrainGraphSpec } from './graph';
import { buildHeldoutLossModel } from './heldout-graph';
import { FirstLayerUpdate } from './first-layer-update';
import { carriedStateNames } from './state';

type Placement = Pick<InterpreterTrainOptions, 'executionProviders' | 'threads'>;

const sessionOptions = (at: Placement) => ({ provider: at.executionProviders, threads: at.threads, memPattern: false });

export type ChunkWay = 'loop' | 'step';

/** The way a chunk trains where the stack runs: the Loop on a GPU, steps on the CPU. */
export function chunkWayFor(at: Placement): ChunkWay {
  return at.executionProviders.some((p) => p !== 'cpu') ? 'loop' : 'step';
}

/** One chunk's batches: x [k, n, B, D] features, y [k, n, B] labels, es [n] (the official rule applies). */
export interface Chunk {
  x: Float32Array;
  y: BigInt64Array;
  es: Uint8Array;
  steps: number;
  members: number;
  batch: number;
  dims: number;
}

export interface ChunkResult {
  /**
   * The carried state after the chunk (carriedStateNames). The 'step' way's w1 and moments are views of
   * its update's memory, valid until the session trains another stack: state.ts's consumers copy them.
   */
  state: Record<string, ort.Tensor>;
  /** Each step's batch loss per member, [k, n]; NaN for members already stopped. */
  losses: Float32Array;
}

export interface TrainSession extends Disposable {
  readonly provider: ProviderChoice;
  readonly way: ChunkWay;
  train(state: Record<string, ort.Tensor>, chunk: Chunk): Promise<ChunkResult>;
}

class LoopSession implements TrainSession {
  readonly way = 'loop';
  constructor(private readonly opened: SessionWithProvider) {}

  get provider(): ProviderChoice {
    return this.opened.provider;
  }

  async train(state: Record<string, ort.Tensor>, c: Chunk): Promise<ChunkResult> {
    const out = await this.opened.session.run({
      ...state,
      X: new ort.Tensor('float32', c.x, [c.steps, c.members, c.batch, c.dims]),
      Y: new ort.Tensor('int64', c.y, [c.steps, c.members, c.batch]),
      es: new ort.Tensor('bool', c.es, [c.members]),
    });
    return {
      state: Object.fromEntries(carriedStateNames().map((name) => [name, out[`${name}_out`]])),
      losses: out.losses.data as Float32Array,
    };
  }

  dispose(): Promise<void> {
    return this.opened.session.release();
  }
}

/** What the step model carries from step to step: its state but w1, which lives in the update's memory. */
const STEP_CARRIED = stepStateNames().filter((s) => s !== 'w1');

/**
 * Bytes of one block of w1's gradient: onnxruntime-node copies each output into a new buffer, and under
 * glibc's mmap threshold (1 MiB in the processes that train, compute-process-settings.ts) a buffer comes
 * from the heap, where freed blocks are reused, instead of fresh pages that fault in on every step.
 */
const GRADIENT_BLOCK_BYTES = 900 * 1024;

/** Row blocks of w1's gradient for n members of `dims` inputs and h1 units. */
export function gradientBlocks(n: number, dims: number, h1: number): number {
  return Math.max(1, Math.min(dims, Math.ceil((4 * n * dims * h1) / GRADIENT_BLOCK_BYTES)));
}

class StepSession implements TrainSession {
  readonly way = 'step';
  private readonly update = new FirstLayerUpdate();
  /** The step model and its gradient's block count: made again only for a stack that needs more blocks. */
  private model: { blocks: number; opened: SessionWithProvider };

  constructor(
    private readonly spec: TrainGraphSpec,
    private readonly at: Placement,
    opened: SessionWithProvider,
    blocks: number,
  ) {
    this.model = { blocks, opened };
  }

  get provider(): ProviderChoice {
    return this.model.opened.provider;
  }

  /** A step model whose blocks are small enough for `blocks` (a smaller stack keeps the larger count). */
  private async modelFor(blocks: number): Promise<{ blocks: number; opened: SessionWithProvider }> {
    if (blocks > this.model.blocks) {
      const opened = await openSession(buildStepModel(this.spec, blocks), sessionOptions(this.at));
      await this.model.opened.session.release();
      this.model = { blocks, opened };
    }
    return this.model;
  }

  async train(state: Record<string, ort.Tensor>, c: Chunk): Promise<ChunkResult> {
    const { members: n, batch: B, dims: D } = c;
    const w1Dims = state.w1.dims;
    const h1 = w1Dims[2];
    const {
      blocks: R,
      opened: { session },
    } = await this.modelFor(gradientBlocks(n, D, h1));
    const f32 = (t: ort.Tensor) => t.data as Float32Array;
    this.update.load(f32(state.w1), f32(state.w1_u), f32(state.w1_q));
    const w1 = new ort.Tensor('float32', this.update.weights, w1Dims);
    const es = new ort.Tensor('bool', c.es, [n]);
    let carried: Record<string, ort.Tensor> = Object.fromEntries(STEP_CARRIED.map((s) => [s, state[s]]));
    const losses = new Float32Array(c.steps * n);
    const bound = (b: number) => Math.floor((D * b) / R); // as the step model cuts the blocks
    for (let k = 0; k < c.steps; k++) {
      const out = await session.run({
        ...carried,
        w1,
        X: new ort.Tensor('float32', c.x.subarray(k * n * B * D, (k + 1) * n * B * D), [n, B, D]),
        Y: new ort.Tensor('int64', c.y.subarray(k * n * B, (k + 1) * n * B), [n, B]),
        es,
      });
      const gradient = this.update.gradient;
      for (let b = 0; b < R; b++) {
        const block = f32(out[`w1_grad_${b}`]);
        const per = (bound(b + 1) - bound(b)) * h1;
        for (let m = 0; m < n; m++) gradient.set(block.subarray(m * per, (m + 1) * per), (m * D + bound(b)) * h1);
      }
      this.update.apply(f32(out.w1_a), f32(out.w1_e));
      carried = Object.fromEntries(STEP_CARRIED.map((s) => [s, out[`${s}_out`]]));
      losses.set(f32(out.loss), k * n);
    }
    const [w, u, q] = this.update.held();
    const t = (data: Float32Array) => new ort.Tensor('float32', data, w1Dims);
    return { state: { ...carried, w1: t(w), w1_u: t(u), w1_q: t(q) }, losses };
  }

  dispose(): Promise<void> {
    return this.model.opened.session.release();
  }
}

export async function openTrainSession(
  spec: TrainGraphSpec,
  at: Placement,
  way: ChunkWay = chunkWayFor(at),
): Promise<TrainSession> {
  return way === 'loop'
    ? new LoopSession(await openSession(buildTrainModel(spec), sessionOptions(at)))
    : new StepSession(spec, at, await openSession(buildStepModel(spec, 1), sessionOptions(at)), 1);
}

export function openHeldoutSession(numClasses: number, at: Placement): Promise<SessionWithProvider> {
  return openSession(buildHeldoutLossModel(numClasses), sessionOptions(at));
}
