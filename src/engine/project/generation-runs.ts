/**
 * Generation runs: what was asked (config, output folder, interpreter) and how far it got (status,
 * progress, result as JSON), so a run can be shown, resumed or repeated. The images themselves live in
 * the output folder, not in the project.
 */
import { readEnvelope } from '../../shared/envelope';
import { UserError } from '../../shared/errors';
import {
  RUN_CONFIG_HISTORY,
  RUN_PROGRESS_HISTORY,
  RUN_RESULT_HISTORY,
  type GenerationRunConfig,
  type GenerationRunProgress,
  type GenerationRunResult,
} from '../../shared/generation-envelopes';
import {
  GENERATION_RUN_STATUSES,
  type GenerationRun,
  type GenerationRunUpdate,
  type NewGenerationRun,
} from '../../shared/project-types';
import { fromJson, newId, nowIso, toJson, type Ctx } from './store';

interface RunRow {
  id: string;
  interpreter_id: string | null;
  config_json: string;
  out_dir: string;
  status: GenerationRun['status'];
  progress_json: string | null;
  result_json: string | null;
  created_at: string;
  updated_at: string;
  revision: number;
}

function toRun(r: RunRow): GenerationRun {
  return {
    id: r.id,
    interpreterId: r.interpreter_id,
    config: fromJson(r.config_json),
    outDir: r.out_dir,
    status: r.status,
    progress: fromJson(r.progress_json),
    result: fromJson(r.result_json),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    revision: r.revision,
  };
}

/**
 * A run's config, progress and result in today's form (src/shared/generation-envelopes.ts), for code
 * that uses them; the table functions themselves store and return any JSON.
 */
export function readRunRecord(
  file: string,
  run: GenerationRun,
): { config: GenerationRunConfig; progress: GenerationRunProgress | null; result: GenerationRunResult | null } {
  const where = `of generation run ${run.id.slice(0, 8)} in ${file}`;
  const fix = 'restore a backup copy of the project, or start the run again';
  return {
    config: readEnvelope(RUN_CONFIG_HISTORY, run.config, { what: `The config ${where}`, fix }),
    progress: readEnvelope(RUN_PROGRESS_HISTORY, run.progress, { what: `The progress ${where}`, fix }),
    result: readEnvelope(RUN_RESULT_HISTORY, run.result, { what: `The result ${where}`, fix }),
  };
}

export function addGenerationRun(ctx: Ctx, input: NewGenerationRun): { id: string } {
  if (typeof input.outDir !== 'string' || input.outDir.length === 0)
    throw new UserError('A generation run needs an output folder.');
  if (input.interpreterId != null) {
    const found = ctx.db.prepare('SELECT 1 FROM interpreter WHERE id = ? AND deleted = 0').get(input.interpreterId);
    if (!found)
      throw new UserError(
        `There is no interpreter with id ${input.interpreterId} in ${ctx.file}; train one first or reload the list.`,
      );
  }
  const id = newId();
  const now = nowIso();
  ctx.db
    .prepare(
      `INSERT INTO generation_run (id, interpreter_id, config_json, out_dir, status, progress_json, result_json, created_at, deleted, revision, updated_at)
    VALUES (?, ?, ?, ?, 'queued', NULL, NULL, ?, 0, 1, ?)`,
    )
    .run(id, input.interpreterId ?? null, toJson(input.config, 'generation config'), input.outDir, now, now);
  return { id };
}

function requireRun(ctx: Ctx, id: string): RunRow {
  const r = ctx.db.prepare('SELECT * FROM generation_run WHERE id = ? AND deleted = 0').get(id) as RunRow | undefined;
  if (!r) throw new UserError(`There is no generation run with id ${id} in ${ctx.file}; reload the list.`);
  return r;
}

/** Set the status and, when given, progress and result (omitted ones keep their value). */
export function updateGenerationRun(ctx: Ctx, id: string, update: GenerationRunUpdate): GenerationRun {
  const r = requireRun(ctx, id);
  if (!(GENERATION_RUN_STATUSES as readonly string[]).includes(update.status)) {
    throw new UserError(
      `"${String(update.status)}" is not a generation run status (${GENERATION_RUN_STATUSES.join(', ')}).`,
    );
  }
  const next: RunRow = {
    ...r,
    status: update.status,
    progress_json: update.progress === undefined ? r.progress_json : toJson(update.progress, 'generation progress'),
    result_json: update.result === undefined ? r.result_json : toJson(update.result, 'generation result'),
    revision: r.revision + 1,
    updated_at: nowIso(),
  };
  ctx.db
    .prepare(
      `UPDATE generation_run SET status = @status, progress_json = @progress_json, result_json = @result_json,
    revision = @revision, updated_at = @updated_at WHERE id = @id`,
    )
    .run(next);
  return toRun(next);
}

/** Newest first. */
export function listGenerationRuns(ctx: Ctx): GenerationRun[] {
  return (
    ctx.db
      .prepare('SELECT * FROM generation_run WHERE deleted = 0 ORDER BY created_at DESC, rowid DESC')
      .all() as RunRow[]
  ).map(toRun);
}

export function getGenerationRun(ctx: Ctx, id: string): GenerationRun | null {
  const r = ctx.db.prepare('SELECT * FROM generation_run WHERE id = ? AND deleted = 0').get(id) as RunRow | undefined;
  return r ? toRun(r) : null;
}

export function deleteGenerationRun(ctx: Ctx, id: string): void {
  requireRun(ctx, id);
  ctx.db
    .prepare('UPDATE generation_run SET deleted = 1, revision = revision + 1, updated_at = ? WHERE id = ?')
    .run(nowIso(), id);
}
