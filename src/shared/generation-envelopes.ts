/**
 * The JSON documents of generation runs: in a dataset folder (docs/dataset-format.md) run.json, which
 * has carried `format` and `version` from the start, the manifest's lines and the work folder's COCO
 * fragments, which follow their run.json's version; in the project (docs/project-file.md,
 * "generation_run") the config, progress and result columns, which never had a version (version 1 is
 * their form today). Objects keep fields they do not know, and run.json's fields come out in the order
 * it is written in, so a plan read back writes the same bytes.
 */
import { z } from 'zod';
import {
  EXPORT_FORMATS,
  type CocoFragmentAnnotation,
  type GenerationSummary,
  type ManifestRecord,
  type RunPlan,
} from './dataset-types';
import { unversionedHistory, type EnvelopeHistory } from './envelope';

const whole = z.number().int().min(0);
const positive = z.number().int().min(1);
const seed = z.number().int().min(0).max(0xffffffff);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const ShardSchema = z.looseObject({ index: whole, count: positive });

const RunPlanSchema: z.ZodType<RunPlan> = z.looseObject({
  format: z.literal('dgs-generation-run'),
  version: z.literal(1),
  count: positive,
  generated: positive,
  filter: z.number().min(0).lt(1),
  formats: z.array(z.enum(EXPORT_FORMATS)),
  seed,
  shard: ShardSchema.nullable(),
  modelSha256: sha256,
  interpreterId: z.string(),
  psi: z.number().finite(),
  resolution: positive,
  zDim: positive,
  classes: z
    .array(
      z.looseObject({
        index: z.number().int().min(0).max(255),
        name: z.string(),
        color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
      }),
    )
    .min(1),
  interpreterQuality: z.unknown(),
});

export const RUN_PLAN_HISTORY: EnvelopeHistory<RunPlan> = {
  format: 'dgs-generation-run',
  version: 1,
  schema: RunPlanSchema,
  unversioned: 1,
};

const ManifestRecordSchema: z.ZodType<ManifestRecord> = z.looseObject({
  name: z.string().regex(/^\d{8,}$/),
  index: whole,
  seed,
  psi: z.number().finite(),
  modelSha256: sha256,
  interpreterId: z.string(),
  score: z.number().finite(),
  status: z.enum(['pending', 'kept', 'filtered']),
});

export const MANIFEST_RECORD_HISTORY = unversionedHistory(ManifestRecordSchema);

const CocoFragmentSchema: z.ZodType<CocoFragmentAnnotation[]> = z.array(
  z.looseObject({
    category_id: z.number().int().min(1).max(255),
    rle: z.string(),
    area: positive,
    bbox: z.tuple([whole, whole, positive, positive]),
    polygons: z.array(z.array(z.number().finite())),
  }),
);

export const COCO_FRAGMENT_HISTORY = unversionedHistory(CocoFragmentSchema);

/** What a run was asked for, as the project records it (the generation options and ψ). */
export const GenerationRunConfigSchema = z.looseObject({
  outDir: z.string().optional(),
  count: positive,
  filter: z.number().min(0).lt(1).optional(),
  formats: z.array(z.string()).optional(),
  seed: seed.optional(),
  batch: positive.optional(),
  shard: ShardSchema.nullable().optional(),
  resume: z.boolean().optional(),
  contactSheet: z.boolean().optional(),
  psi: z.number().finite().optional(),
});
export type GenerationRunConfig = z.infer<typeof GenerationRunConfigSchema>;

/** How far a run got when the project last heard from it; a resumed run also says where it resumed. */
export const GenerationRunProgressSchema = z.looseObject({ done: whole, total: whole, resumedFrom: whole.optional() });
export type GenerationRunProgress = z.infer<typeof GenerationRunProgressSchema>;

/** How a run ended: its summary, or the sentence it failed with. */
export const GenerationRunResultSchema = z.union([
  z.looseObject({
    outDir: z.string(),
    status: z.enum(['finished', 'shard-finished', 'cancelled']),
    generated: whole,
    done: whole,
    kept: whole.nullable(),
    filtered: whole.nullable(),
    formats: z.array(z.enum(EXPORT_FORMATS)),
  }) satisfies z.ZodType<GenerationSummary>,
  z.looseObject({ error: z.string() }),
]);
export type GenerationRunResult = z.infer<typeof GenerationRunResultSchema>;

export const RUN_CONFIG_HISTORY = unversionedHistory(GenerationRunConfigSchema);
/** Null until the run reports (queued) or ends. */
export const RUN_PROGRESS_HISTORY = unversionedHistory(GenerationRunProgressSchema.nullable());
export const RUN_RESULT_HISTORY = unversionedHistory(GenerationRunResultSchema.nullable());
