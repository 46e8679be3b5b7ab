/**
 * The two JSON documents a project stores with a trained interpreter's weights (docs/project-file.md,
 * "interpreter"): its config, which rebuilds the ensemble and has carried `format` and `version` from
 * the start, and its metrics, which never had a version (version 1 is their form today; older builds
 * wrote fewer of the optional fields). Objects keep fields they do not know, in the order the trainer
 * wrote them, so metrics copied into a dataset's run.json stay byte for byte the same.
 */
import { z } from 'zod';
import { unversionedHistory, type EnvelopeHistory } from './envelope';
import type { InterpreterConfig, InterpreterMetrics } from './interpreter-types';

const count = z.number().int().min(1);
const finite = z.number().finite();

const FeatureShapeSchema = z.looseObject({ name: z.string().min(1), channels: count, resolution: count });

/**
 * The options training ran with: a record, not read back to rebuild anything, so each may be absent
 * (older builds had no `workers` or `rule` and named the cleanup threshold `minClassPixels`).
 */
const TrainOptionsSchema = z.looseObject({
  rule: z.enum(['heldout', 'official']).optional(),
  members: count.optional(),
  batchSize: count.optional(),
  maxEpochs: count.optional(),
  earlyStopFromEpoch: z.number().int().min(0).optional(),
  patience: z.number().int().min(0).optional(),
  heldoutPixels: count.optional(),
  heldoutEvery: count.optional(),
  heldoutPatience: count.optional(),
  heldoutMinDelta: z.number().min(0).max(1).optional(),
  heldoutMinPixels: z.number().int().min(0).optional(),
  maxSteps: count.nullable().optional(),
  seed: z.number().int().optional(),
  lr: finite.optional(),
  minClassFraction: finite.optional(),
  executionProviders: z.array(z.string()).optional(),
  chunkBytes: count.optional(),
  cvFolds: z.union([z.literal('auto'), z.number().int().min(0)]).optional(),
  cvMembers: count.optional(),
  cvMaxEpochs: count.optional(),
  cvMaxSteps: count.nullable().optional(),
  threads: z.number().int().min(0).optional(),
  workers: z.union([z.literal('auto'), count]).optional(),
  featurePrecision: z.enum(['auto', 'float16', 'float32']).optional(),
  featureMemoryBytes: z.number().min(0).optional(),
});

export const InterpreterConfigSchema: z.ZodType<InterpreterConfig> = z
  .looseObject({
    format: z.literal('dgs-interpreter'),
    version: z.literal(1),
    members: count,
    numClasses: z.number().int().min(1).max(256),
    labelResolution: count,
    features: z.array(FeatureShapeSchema).min(1),
    hidden: z.tuple([count, count]),
    bnEps: z.number().positive(),
    options: TrainOptionsSchema,
    stepsPerMember: z.array(z.number().int().min(0)),
    stoppedEpoch: z.array(z.number().int().min(0)),
  })
  .refine((c) => c.stepsPerMember.length === c.members && c.stoppedEpoch.length === c.members, {
    message: 'stepsPerMember and stoppedEpoch need one entry per member',
    path: ['stepsPerMember'],
  });

export const INTERPRETER_CONFIG_HISTORY: EnvelopeHistory<InterpreterConfig> = {
  format: 'dgs-interpreter',
  version: 1,
  schema: InterpreterConfigSchema,
  unversioned: 1,
};

const iou = z.number().min(0).max(1);

export const InterpreterMetricsSchema: z.ZodType<InterpreterMetrics> = z.looseObject({
  miou: iou.nullable(),
  perClass: z.array(iou.nullable()),
  folds: z.number().int().min(0),
  cvMembers: count.optional(),
  wallSeconds: z.number().min(0),
  cvSeconds: z.number().min(0),
  report: z.enum(['pending', 'stopped']).optional(),
  pixelAccuracy: iou.nullable().optional(),
  loadSeconds: z.number().min(0).optional(),
  ensembleSeconds: z.number().min(0).optional(),
  provider: z.string(),
  classPixels: z.array(z.number().int().min(0)),
  cleanup: z
    .looseObject({
      minClassFraction: finite,
      minClassPixels: z.number().int().min(0),
      erased: z.array(
        z.looseObject({
          annotation: z.number().int().min(0),
          classId: z.number().int().min(0),
          pixels: z.number().int().min(0),
        }),
      ),
    })
    .optional(),
  trainingThreads: count.optional(),
});

export const INTERPRETER_METRICS_HISTORY = unversionedHistory(InterpreterMetricsSchema);
