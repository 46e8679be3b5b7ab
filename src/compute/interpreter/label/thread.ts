/**
 * A labeler in its own worker thread, so generation overlaps the two: while the labeling thread labels
 * batch b, the compute thread (whose onnxruntime runs block it) generates batch b+1. The feature maps
 * are moved to it and the labels back, not copied. Without a worker script (a bundle that ships none)
 * the labeler runs in the caller's thread, with the same results.
 */
import type { FeatureMaps, FeatureShape, LabelResult, TrainedInterpreter } from '../../../shared/interpreter-types';
import { transfer, type MethodTable } from '../../../shared/rpc';
import { WorkerConnection } from '../../../node/worker-rpc';
import { createLabeler, type Labeler } from './labeler';

export interface LabelThreadSpec {
  trained: TrainedInterpreter;
  features: FeatureShape[];
  labelResolution: number;
  executionProviders: string[];
  threads: number;
}

/** The labeling thread's service (worker.ts serves it). */
export interface LabelThreadService {
  /** Builds the labeler; answers the execution provider it runs on. */
  open(spec: LabelThreadSpec): Promise<{ provider: string }>;
  /** Labels one batch of feature maps (moved to the thread). */
  label(req: { batch: FeatureMaps[] }): Promise<LabelResult>;
}

export const LABEL_THREAD_METHODS = {
  open: { doing: 'opening the labeler' },
  label: { doing: 'labeling' },
} as const satisfies MethodTable<LabelThreadService>;

/** Each distinct ArrayBuffer once (a batch's maps share the generator's outputs). */
function buffersOf(batch: FeatureMaps[]): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const maps of batch) for (const m of maps) set.add(m.data.buffer as ArrayBuffer);
  return [...set];
}

/**
 * Opens a labeler in a worker thread started from `script` (in the caller's own thread when there is
 * none). The maps given to `label` are moved to the thread: the caller must not read them afterwards.
 */
export async function openLabelerThread(spec: LabelThreadSpec, script: URL | null): Promise<Labeler> {
  if (!script)
    return createLabeler(spec.trained, spec.features, spec.labelResolution, spec.executionProviders, spec.threads);
  const thread = new WorkerConnection<LabelThreadService>(script, LABEL_THREAD_METHODS, 'The labeling thread');
  let provider: string;
  try {
    ({ provider } = await thread.service.open(spec));
  } catch (e) {
    await thread.dispose();
    throw e;
  }
  return {
    provider,
    stageMs: { project: 0, upsample: 0, resize: 0, tile: 0 },
    label: (batch) => thread.service.label(transfer({ batch }, buffersOf(batch))),
    dispose: () => thread.dispose(),
  };
}
