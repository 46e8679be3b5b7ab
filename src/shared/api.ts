/**
 * The one typed API between the renderer and the main side (DESIGN §3). Each channel has a request and
 * a response schema; main (Electron IPC or `dgs serve`'s HTTP) checks the sender and validates every
 * request before a handler runs. Long work (sampling, training, generation, creating a project from a
 * checkpoint) starts a job and answers its id at once; the job reports through `ApiEvent`s and is
 * cancelled with `job:cancel`. Typed arrays cross as typed arrays (structured clone over IPC, the wire
 * codec in wire.ts over HTTP).
 */
import { z } from 'zod';
import { SavedShapesSchema, ShapesEnvelopeSchema } from './annotation-shapes';
import type { ApiChannelName } from './api-channels';
import type { CountProgress, ProviderChoice } from './compute-api';
import type { UserErrorCode } from './errors';
import { EXPORT_FORMATS, type GenerationProgress, type GenerationSummary } from './dataset-types';
import { GenerationRunProgressSchema, GenerationRunResultSchema } from './generation-envelopes';
import type { InterpreterProgress } from './interpreter-types';
import {
  ENSEMBLE_MEMBERS,
  numberSchema,
  SAMPLES_TO_ADD,
  SAMPLES_TO_ASSIGN,
  SAMPLES_TO_GENERATE,
  SUGGESTION_POOL,
} from './number-fields';
import type { Disposable } from './lifecycle';
import { WAND_MAX_CLICKS } from './wand';

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected bytes' });
const id = z.string().min(1).max(100);
const path = z.string().min(1).max(4096);
const hexColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/)
  .meta({ title: 'A class colour' });
const className = z.string().trim().min(1).max(100).meta({ title: 'A class name' });
const hotkey = z.string().max(10).meta({ title: 'A hotkey' }).nullable();
const seed = z.number().int().min(0).max(0xffffffff);
const psi = z.number().min(0).max(2).meta({ title: 'Truncation ψ' });
const authorName = z.string().trim().min(1).max(100).meta({ title: 'Your name' });

export const LabelClassSchema = z.object({
  id: z.string(),
  index: z.number(),
  name: z.string(),
  color: z.string(),
  hotkey: z.string().nullable(),
  locked: z.boolean(),
  /** Annotated pixels of this class over all annotations. */
  pixels: z.number(),
});
export type StudioClass = z.infer<typeof LabelClassSchema>;

export const ProjectSummarySchema = z.object({
  file: z.string(),
  name: z.string(),
  readonly: z.boolean(),
  schemaVersion: z.number(),
  model: z
    .object({
      sha256: z.string(),
      name: z.string(),
      architecture: z.string(),
      resolution: z.number(),
      defaultPsi: z.number(),
    })
    .nullable(),
  provider: z.object({ name: z.enum(['cpu', 'cuda']), reason: z.string() }).nullable(),
  classes: z.array(LabelClassSchema),
  counts: z.object({
    samples: z.number(),
    annotations: z.number(),
    interpreters: z.number(),
    generationRuns: z.number(),
  }),
  /** Why a project asked for editing opened read-only (a read-only file or share), for the banner. */
  readonlyReason: z.string().nullable(),
  /** The file format version the file had, when older than this app's (it is worked on as an upgraded copy). */
  upgradedFrom: z.number().nullable(),
  /** Annotations changed on both sides of a merge, waiting for a choice. */
  conflicts: z.number(),
  contributors: z.array(z.string()),
});
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;

/** A sample as lists show it: who made it, for whom, and its annotation's state. */
export const SampleRowSchema = z.object({
  id: z.string(),
  seed: z.number(),
  psi: z.number(),
  creator: z.string().nullable(),
  createdAt: z.string(),
  /** The labeler the sample is assigned to (labeler copies), or null. */
  assignee: z.string().nullable(),
  annotation: z.object({ author: z.string().nullable(), revision: z.number(), updatedAt: z.string() }).nullable(),
});
export type SampleRow = z.infer<typeof SampleRowSchema>;

export const ModelChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('demo') }),
  z.object({ kind: z.literal('bundle'), path }),
  z.object({ kind: z.literal('checkpoint'), path }),
]);
export type ModelChoice = z.infer<typeof ModelChoiceSchema>;

export const ClassInputSchema = z.object({
  id: z.string().optional(),
  name: className,
  color: hexColor,
  hotkey,
  locked: z.boolean().optional(),
});
export type ClassInput = z.infer<typeof ClassInputSchema>;

const VersionSchema = z.object({
  versionId: z.string(),
  revision: z.number(),
  author: z.string().nullable(),
  updatedAt: z.string(),
  deleted: z.boolean(),
  source: z.string().nullable(),
});
const VersionContentSchema = VersionSchema.extend({
  labelMap: bytes.nullable(),
  width: z.number().nullable(),
  height: z.number().nullable(),
});

const jobStarted = z.object({ jobId: z.string() });
const empty = z.object({});

export const API_CHANNELS = {
  'app:info': {
    request: empty,
    response: z.object({
      version: z.string(),
      platform: z.string(),
      transport: z.enum(['electron', 'web']),
      canChooseFiles: z.boolean(),
      /** The built-in demo model's part classes (its New project preset). */
      demoClasses: z.array(z.object({ name: z.string(), color: z.string(), hotkey: z.string().nullable() })),
    }),
  },
  'project:recent': {
    request: empty,
    response: z.array(z.object({ file: z.string(), name: z.string(), openedAt: z.string(), exists: z.boolean() })),
  },
  /** Open `file`, or (file null) ask with a dialog; null when the user cancels. */
  'project:open': { request: z.object({ file: path.nullable() }), response: ProjectSummarySchema.nullable() },
  'project:close': { request: empty, response: empty },
  /** The project open now, or null. */
  'project:summary': { request: empty, response: ProjectSummarySchema.nullable() },
  /** Where a new project may be created: a dialog (Electron), or the one file `dgs serve` was given. */
  'project:choose-new-file': { request: empty, response: z.string().nullable() },
  /** Check a model the New project wizard was given, when it is given: a sentence when it cannot be used. */
  'model:check': {
    request: z.object({ kind: z.enum(['bundle', 'checkpoint']), path }),
    response: z.object({ description: z.string() }),
  },
  'project:create': {
    request: z.object({
      file: path,
      name: z.string().trim().min(1).max(200).meta({ title: 'Project name' }),
      model: ModelChoiceSchema,
      classes: z.array(ClassInputSchema).min(2).max(255),
      psi,
    }),
    response: jobStarted,
  },
  'samples:list': { request: empty, response: z.array(SampleRowSchema) },
  'samples:add': {
    request: z.object({ count: numberSchema(SAMPLES_TO_ADD), seed: seed.optional(), psi: psi.optional() }),
    response: jobStarted,
  },
  /** Each sample's uncertainty under the interpreter in use (mean of its top 10 % pixel JS divergences). */
  'samples:scores': { request: empty, response: z.object({ scores: z.record(z.string(), z.number()) }) },
  'sample:image': {
    request: z.object({ sampleId: id }),
    response: z.object({ png: bytes, width: z.number(), height: z.number() }),
  },
  'annotation:get': {
    request: z.object({ sampleId: id }),
    response: z
      .object({
        width: z.number(),
        height: z.number(),
        labelMap: bytes,
        /** Null when the annotation has no shapes, or shapes this build cannot read (a notice says so). */
        shapes: ShapesEnvelopeSchema.nullable(),
        revision: z.number(),
        author: z.string().nullable(),
      })
      .nullable(),
  },
  'annotation:save': {
    request: z.object({
      sampleId: id,
      labelMap: bytes,
      shapes: SavedShapesSchema,
      /** The revision the edit started from; 0 for a sample without an annotation. */
      baseRevision: z.number().int().min(0),
      author: authorName,
    }),
    response: z.object({ revision: z.number() }),
  },
  'labels:import': {
    request: z.object({
      files: z
        .array(z.object({ name: z.string().min(1).max(255), bytes }))
        .min(1)
        .max(10_000),
      author: authorName,
    }),
    /** `warning`: a sentence when the ids look shifted by one against the project's classes, as `dgs label import` warns. */
    response: z.object({ imported: z.number(), warning: z.string().nullable() }),
  },
  /** Write every annotated sample's label map (and with `images`, every sample's image) into a folder, named by seed. */
  'labels:export': {
    request: z.object({ outDir: path, images: z.boolean() }),
    response: z.object({ outDir: z.string(), images: z.number(), labels: z.number() }),
  },
  'classes:save': {
    request: z.object({ classes: z.array(ClassInputSchema).min(1).max(255) }),
    response: z.array(LabelClassSchema),
  },
  'train:start': {
    request: z.object({
      members: numberSchema(ENSEMBLE_MEMBERS).optional(),
      quick: z.boolean().optional(),
      maxSteps: z.number().int().min(1).max(10_000_000).optional(),
    }),
    response: jobStarted,
  },
  /** The labels of the interpreter in use and per-pixel uncertainty for a sample (pre-label, the heat map); null without one. */
  'label:predict': {
    request: z.object({ sampleId: id }),
    response: z
      .object({
        labels: bytes,
        uncertainty: z.custom<Float32Array>((v) => v instanceof Float32Array, { message: 'expected floats' }),
        interpreterId: z.string(),
      })
      .nullable(),
  },
  /**
   * The feature wand (docs/canvas.md): the part of a sample its clicks select, by the generator's features
   * (and the newest interpreter's class probabilities when there is one). A sample's first click runs the
   * generator; `prepared` says so.
   */
  'wand:select': {
    request: z.object({
      sampleId: id,
      clicks: z
        .array(z.object({ x: z.number().int().min(0), y: z.number().int().min(0), positive: z.boolean() }))
        .min(1)
        .max(WAND_MAX_CLICKS),
      tolerance: z.number().min(0).max(1),
      classId: z.number().int().min(0).max(255),
    }),
    response: z.object({ mask: bytes, prepared: z.boolean(), guided: z.boolean() }),
  },
  /** Next uncertain sample: rank a pool of fresh seeds by the interpreter's uncertainty and add the most uncertain one. */
  'samples:suggest': {
    request: z.object({ pool: numberSchema(SUGGESTION_POOL).optional() }),
    response: jobStarted,
  },
  /** A quick cross-validated retrain (nothing stored) whose per-class IoU says which classes need more examples. */
  'train:quick-cv': { request: empty, response: jobStarted },
  'interpreters:list': {
    request: empty,
    response: z.array(
      z.object({
        id: z.string(),
        createdAt: z.string(),
        members: z.number(),
        miou: z.number().nullable(),
        perClass: z.array(z.number().nullable()),
        provider: z.string().nullable(),
        wallSeconds: z.number().nullable(),
        folds: z.number(),
        /**
         * The cross-validated report: 'pending' while it is computed after the ensemble was stored (the
         * interpreter is usable meanwhile), 'done', 'stopped' (its run was cancelled or failed) or 'none'.
         */
        report: z.enum(['pending', 'done', 'stopped', 'none']),
        /** Whether generation, pre-label and suggestions use it (the user's pick, else the rule in docs/interpreter.md). */
        inUse: z.boolean(),
        /** In use because the user picked it. */
        chosen: z.boolean(),
        /** Why it is or is not in use, as a sentence. */
        note: z.string(),
      }),
    ),
  },
  /** Make this interpreter the one in use; null: back to the rule (the newest whose mIoU is not lower). */
  'interpreters:use': { request: z.object({ id: id.nullable() }), response: empty },
  'generate:start': {
    request: z.object({
      outDir: path.meta({ title: 'Output folder' }),
      count: numberSchema(SAMPLES_TO_GENERATE),
      filter: z.number().min(0).max(0.99).meta({ title: 'The uncertainty filter' }),
      formats: z.array(z.enum(EXPORT_FORMATS)).max(3),
      resume: z.boolean(),
      psi: psi.optional(),
    }),
    response: jobStarted,
  },
  'runs:list': {
    request: empty,
    response: z.array(
      z.object({
        id: z.string(),
        status: z.string(),
        outDir: z.string(),
        createdAt: z.string(),
        /** The record's last change: the runs list puts the most recently active first. */
        updatedAt: z.string(),
        progress: GenerationRunProgressSchema.nullable(),
        result: GenerationRunResultSchema.nullable(),
        count: z.number().nullable(),
        /** The filter and formats the run was started with (a resume must use the same). */
        filter: z.number().nullable(),
        formats: z.array(z.enum(EXPORT_FORMATS)).nullable(),
      }),
    ),
  },
  'run:contact-sheet': { request: z.object({ runId: id }), response: z.object({ png: bytes }).nullable() },
  /** The generator and the newest interpreter as one ONNX model for training loops (docs/export-graph.md). */
  'graph:export': {
    request: z.object({
      file: path,
      resolution: z.number().int().min(1).max(65536).optional(),
      overwrite: z.boolean(),
    }),
    response: z.object({ file: z.string(), bytes: z.number(), resolution: z.number(), classes: z.number() }),
  },
  'job:cancel': { request: z.object({ jobId: id }), response: empty },
  'jobs:list': {
    request: empty,
    response: z.array(z.object({ jobId: z.string(), kind: z.string(), startedAt: z.number() })),
  },
  /** A folder picked in a dialog (Electron); null where there is none (the browser) or on cancel. */
  /** The name recorded with every change this studio makes (asked once, kept by the renderer). */
  'app:set-author': { request: z.object({ name: authorName }), response: empty },
  /** Write an upgraded copy of an older project over its original. */
  'project:save-upgrade': { request: empty, response: ProjectSummarySchema },
  /** Merge another labeler's copy into the open project (the project before the merge is kept beside it). */
  'project:merge': {
    request: z.object({ theirs: path.meta({ title: "The other labeler's copy" }) }),
    response: z.object({
      summary: ProjectSummarySchema,
      conflicts: z.number(),
      fromTheirs: z.number(),
      addedSamples: z.number(),
      backup: z.string(),
    }),
  },
  /** Save an editable copy of the open project (a read-only one, say) and open the copy instead. */
  'project:save-copy': { request: z.object({ file: path }), response: ProjectSummarySchema },
  /** Save a copy without interpreters and runs for a labeler, assigning samples to them. */
  'project:labeler-copy': {
    request: z.object({
      file: path,
      labeler: z.string().trim().min(1).max(100).meta({ title: 'Labeler' }),
      count: numberSchema(SAMPLES_TO_ASSIGN).optional(),
      sampleIds: z.array(id).max(100_000).optional(),
    }),
    response: z.object({ file: z.string(), assigned: z.number(), bytes: z.number() }),
  },
  'conflicts:list': {
    request: empty,
    response: z.array(
      z.object({ sampleId: z.string(), seed: z.number(), psi: z.number(), mine: VersionSchema, theirs: VersionSchema }),
    ),
  },
  'conflict:get': {
    request: z.object({ sampleId: id }),
    response: z.object({ mine: VersionContentSchema, theirs: VersionContentSchema }),
  },
  'conflict:resolve': {
    request: z.object({ sampleId: id, keep: z.enum(['mine', 'theirs', 'both']) }),
    response: empty,
  },
  /** A project file to save as (a dialog in the app; null in the browser, which types a path). */
  'dialog:choose-save-file': {
    request: z.object({ purpose: z.enum(['labeler-copy', 'copy', 'labeled-graph']) }),
    response: z.string().nullable(),
  },
  'dialog:choose-folder': {
    request: z.object({ purpose: z.enum(['output', 'bundle', 'export']) }),
    response: z.string().nullable(),
  },
  'dialog:choose-file': {
    request: z.object({ purpose: z.enum(['checkpoint', 'project']) }),
    response: z.string().nullable(),
  },
  'shell:open-folder': { request: z.object({ path }), response: empty },
} as const satisfies Record<ApiChannelName, { request: z.ZodType; response: z.ZodType }>;

export type ApiChannel = keyof typeof API_CHANNELS;
// Every schema has a name in api-channels.ts and every name a schema (checked by the compiler).
const _sameChannels: [ApiChannel] extends [ApiChannelName]
  ? [ApiChannelName] extends [ApiChannel]
    ? true
    : never
  : never = true;
void _sameChannels;
export type ApiRequest<C extends ApiChannel> = z.input<(typeof API_CHANNELS)[C]['request']>;
/** A request as handlers see it, after its schema parsed it (defaults filled, strings trimmed). */
export type ApiParsedRequest<C extends ApiChannel> = z.infer<(typeof API_CHANNELS)[C]['request']>;
export type ApiResponse<C extends ApiChannel> = z.infer<(typeof API_CHANNELS)[C]['response']>;

/**
 * Results cross the bridge as {ok, value} or {ok: false, message}: a user-facing sentence, never a stack,
 * with a `code` when the caller must tell the kind apart ('conflict': a stale revision, see errors.ts).
 */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; message: string; code?: ApiErrorCode };

/** A refusal's kind: the engine's (errors.ts), or 'offline' when the browser could not reach `dgs serve` at all. */
export type ApiErrorCode = UserErrorCode | 'offline';

export type JobKind = 'create' | 'sample' | 'train' | 'generate' | 'suggest' | 'cv';

/** What each kind of job reports while it runs, and what it ends with. */
export interface JobProgressOf {
  create: { phase: string };
  sample: CountProgress;
  train: InterpreterProgress;
  generate: GenerationProgress;
  suggest: CountProgress;
  cv: InterpreterProgress;
}
export interface JobResultOf {
  create: ProjectSummary;
  sample: { added: number; skipped: number };
  train: { interpreterId: string; miou: number | null };
  generate: GenerationSummary;
  suggest: { sampleId: string; seed: number; uncertainty: number };
  cv: { miou: number | null; perClass: (number | null)[]; annotated: number };
}

/** A job's life: started (by whoever started it, a window or the host), running with progress, then its end. */
export type JobEvent = {
  [K in JobKind]:
    | { type: 'job'; jobId: string; kind: K; state: 'started' }
    | { type: 'job'; jobId: string; kind: K; state: 'running'; progress: JobProgressOf[K] }
    | { type: 'job'; jobId: string; kind: K; state: 'done'; result: JobResultOf[K] }
    | { type: 'job'; jobId: string; kind: K; state: 'failed' | 'cancelled'; message: string };
}[JobKind];

/** Menu items of the desktop app; the renderer carries them out. */
export type MenuAction = 'new-project' | 'open-project' | 'close-project' | 'merge' | 'labeler-copy' | 'toggle-theme';

/** What can change in the open project. */
export type ProjectChange = 'samples' | 'annotations' | 'classes' | 'interpreters' | 'runs';

/**
 * What changed in the project, with what a window needs to show it without asking again: the summary
 * after the change (counts, classes, conflicts) and the sample rows that were added or changed.
 */
export type ProjectEvent =
  | { type: 'project'; changed: 'opened'; summary: ProjectSummary }
  | { type: 'project'; changed: 'closed' }
  | { type: 'project'; changed: ProjectChange; summary: ProjectSummary; samples: SampleRow[] };

/** Events main sends to every window: job progress, compute crashes, what changed in the project. */
export type ApiEvent =
  | { type: 'menu'; action: MenuAction }
  | { type: 'notice'; message: string }
  | JobEvent
  | { type: 'compute'; state: 'crashed'; message: string }
  | { type: 'compute'; state: 'ready'; provider: ProviderChoice | null }
  /** The browser's own: `dgs serve` stopped answering, or answers again (never sent by main). */
  | { type: 'connection'; state: 'lost' | 'restored' }
  | ProjectEvent;

/** The renderer's view of the API: one async function per channel, plus the event stream. */
export type DgsApi = { [C in ApiChannel]: (request: ApiRequest<C>) => Promise<ApiResult<ApiResponse<C>>> } & {
  onEvent(listener: (e: ApiEvent) => void): Disposable;
};
