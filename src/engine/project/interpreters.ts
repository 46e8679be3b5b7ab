/**
 * Trained style interpreters: config and metrics as JSON, weights as an opaque blob written by the
 * trainer, with its sha256 checked whenever the weights are read (a damaged blob is a sentence, never
 * NaN labels). Deleting one leaves a tombstone whose weights are emptied to give the space back.
 */
import { createHash } from 'node:crypto';
import { readEnvelope } from '../../shared/envelope';
import { UserError } from '../../shared/errors';
import { INTERPRETER_CONFIG_HISTORY, INTERPRETER_METRICS_HISTORY } from '../../shared/interpreter-envelopes';
import type { InterpreterConfig, InterpreterMetrics } from '../../shared/interpreter-types';
import type { Interpreter, InterpreterSummary, NewInterpreter } from '../../shared/project-types';
import { requireModel } from './model';
import { checkRevision, fromJson, newId, nowIso, ownBytes, toJson, type Ctx } from './store';

interface InterpreterRow {
  id: string;
  model_sha256: string;
  config_json: string;
  metrics_json: string;
  provider: string | null;
  wall_seconds: number | null;
  weights_bytes: number;
  created_at: string;
  revision: number;
  weights?: Uint8Array;
}

const SUMMARY = `SELECT id, model_sha256, config_json, metrics_json, provider, wall_seconds, length(weights) AS weights_bytes,
  created_at, revision FROM interpreter WHERE deleted = 0`;

function toSummary(r: InterpreterRow): InterpreterSummary {
  return {
    id: r.id,
    modelSha256: r.model_sha256,
    config: fromJson(r.config_json),
    metrics: fromJson(r.metrics_json),
    provider: r.provider,
    wallSeconds: r.wall_seconds,
    weightsBytes: r.weights_bytes,
    createdAt: r.created_at,
    revision: r.revision,
  };
}

/**
 * An interpreter's config and metrics in today's form (src/shared/interpreter-envelopes.ts), for code
 * that uses them; the table functions themselves store and return any JSON.
 */
export function readInterpreterRecord(
  file: string,
  it: InterpreterSummary,
): { config: InterpreterConfig; metrics: InterpreterMetrics } {
  const where = `of interpreter ${it.id.slice(0, 8)} in ${file}`;
  const fix = 'train the interpreter again or restore a backup copy';
  return {
    config: readEnvelope(INTERPRETER_CONFIG_HISTORY, it.config, { what: `The config ${where}`, fix }),
    metrics: readEnvelope(INTERPRETER_METRICS_HISTORY, it.metrics, { what: `The metrics record ${where}`, fix }),
  };
}

export function saveInterpreter(ctx: Ctx, input: NewInterpreter): { id: string } {
  const { sha256 } = requireModel(ctx, 'saving an interpreter');
  if (!(input.weights instanceof Uint8Array) || input.weights.byteLength === 0) {
    throw new UserError('The interpreter has no weights to save; train it again.');
  }
  if (input.wallSeconds != null && !(Number.isFinite(input.wallSeconds) && input.wallSeconds >= 0)) {
    throw new UserError(`The training time ${input.wallSeconds} s is not a number of seconds.`);
  }
  const id = input.id ?? newId();
  const now = nowIso();
  ctx.db
    .prepare(
      `INSERT INTO interpreter (id, model_sha256, config_json, weights, metrics_json, provider, wall_seconds, created_at, deleted, revision, updated_at, weights_sha256)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?, ?)`,
    )
    .run(
      id,
      sha256,
      toJson(input.config, 'interpreter config'),
      input.weights,
      toJson(input.metrics, 'interpreter metrics'),
      input.provider ?? null,
      input.wallSeconds ?? null,
      now,
      now,
      weightsChecksum(input.weights),
    );
  return { id };
}

/**
 * Replaces a live interpreter's metrics (its cross-validated report, which follows the stored ensemble)
 * as a new revision. False when the interpreter is gone (deleted while its report was computed).
 */
export function updateInterpreterMetrics(ctx: Ctx, id: string, metrics: InterpreterMetrics): boolean {
  const r = ctx.db.prepare('SELECT revision FROM interpreter WHERE id = ? AND deleted = 0').get(id);
  if (!r) return false;
  ctx.db
    .prepare(
      'UPDATE interpreter SET metrics_json = ?, wall_seconds = ?, revision = revision + 1, updated_at = ? WHERE id = ?',
    )
    .run(toJson(metrics, 'interpreter metrics'), metrics.wallSeconds, nowIso(), id);
  return true;
}

/** Newest first. */
export function listInterpreters(ctx: Ctx): InterpreterSummary[] {
  return (ctx.db.prepare(`${SUMMARY} ORDER BY created_at DESC, rowid DESC`).all() as InterpreterRow[]).map(toSummary);
}

export function weightsChecksum(weights: Uint8Array): string {
  return createHash('sha256').update(weights).digest('hex');
}

function withWeights(ctx: Ctx, r: InterpreterRow | undefined): Interpreter | null {
  if (!r) return null;
  const { weights, weights_sha256: sum } = ctx.db
    .prepare('SELECT weights, weights_sha256 FROM interpreter WHERE id = ?')
    .get(r.id) as { weights: Uint8Array; weights_sha256: string | null };
  if (sum === null || weightsChecksum(weights) !== sum) {
    throw new UserError(
      `The weights of interpreter ${r.id.slice(0, 8)} in ${ctx.file} are damaged (their checksum does not match); train the interpreter again or restore a backup copy.`,
    );
  }
  return { ...toSummary(r), weights: ownBytes(weights) };
}

export function getInterpreter(ctx: Ctx, id: string): Interpreter | null {
  return withWeights(ctx, ctx.db.prepare(`${SUMMARY} AND id = ?`).get(id) as InterpreterRow | undefined);
}

export function latestInterpreter(ctx: Ctx): Interpreter | null {
  return withWeights(
    ctx,
    ctx.db.prepare(`${SUMMARY} ORDER BY created_at DESC, rowid DESC LIMIT 1`).get() as InterpreterRow | undefined,
  );
}

export function deleteInterpreter(ctx: Ctx, id: string, expectedRevision?: number): void {
  const r = ctx.db.prepare('SELECT revision FROM interpreter WHERE id = ? AND deleted = 0').get(id) as
    { revision: number } | undefined;
  if (!r) throw new UserError(`There is no interpreter with id ${id} in ${ctx.file}; reload the list.`);
  checkRevision('interpreter', r.revision, expectedRevision);
  ctx.db
    .prepare("UPDATE interpreter SET deleted = 1, weights = X'', revision = revision + 1, updated_at = ? WHERE id = ?")
    .run(nowIso(), id);
}
