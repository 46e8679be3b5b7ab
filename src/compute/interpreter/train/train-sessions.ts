/**
 * The sessions a stack trains with: the training graph (graph.ts) and the 'heldout' rule's loss
 * (heldout-graph.ts), opened the same way by a pool worker and by trainEnsemble in the caller's thread.
 * Without a memory pattern: a chunk's inputs change shape (its steps, the members still training), and
 * the pattern's per-shape block measured larger and no faster (docs/benchmarks.md, "The training's memory").
 */
import type { InterpreterTrainOptions } from '../../../shared/interpreter-types';
import { openSession, type SessionWithProvider } from '../../runtime/execution-provider';
import { buildTrainModel, type TrainGraphSpec } from './graph';
import { buildHeldoutLossModel } from './heldout-graph';

type Placement = Pick<InterpreterTrainOptions, 'executionProviders' | 'threads'>;

const sessionOptions = (at: Placement) => ({ provider: at.executionProviders, threads: at.threads, memPattern: false });

export function openTrainSession(spec: TrainGraphSpec, at: Placement): Promise<SessionWithProvider> {
  return openSession(buildTrainModel(spec), sessionOptions(at));
}

export function openHeldoutSession(numClasses: number, at: Placement): Promise<SessionWithProvider> {
  return openSession(buildHeldoutLossModel(numClasses), sessionOptions(at));
}
