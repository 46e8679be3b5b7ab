/**
 * Small per-project settings (preferred execution provider, last ψ, UI choices…) as JSON values under
 * string keys. Settings are preferences, not work, so a deleted setting is simply gone (no tombstone).
 */
import { UserError } from '../../shared/errors';
import { fromJson, nowIso, toJson, type Ctx } from './store';

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > 200)
    throw new UserError('A setting name must be 1 to 200 characters long.');
  return key;
}

/** The stored value, or undefined when the setting was never set. */
export function getSetting(ctx: Ctx, key: string): unknown {
  const r = ctx.db.prepare('SELECT value_json FROM setting WHERE key = ?').get(checkKey(key)) as
    { value_json: string } | undefined;
  return r ? fromJson(r.value_json) : undefined;
}

export function setSetting(ctx: Ctx, key: string, value: unknown): void {
  const json = toJson(value, `setting "${key}"`);
  ctx.db
    .prepare(
      `INSERT INTO setting (key, value_json, revision, updated_at) VALUES (?, ?, 1, ?)
    ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, revision = revision + 1, updated_at = excluded.updated_at
    WHERE value_json IS NOT excluded.value_json`,
    )
    .run(checkKey(key), json, nowIso());
}

export function deleteSetting(ctx: Ctx, key: string): void {
  ctx.db.prepare('DELETE FROM setting WHERE key = ?').run(checkKey(key));
}

export function listSettings(ctx: Ctx): Record<string, unknown> {
  const rows = ctx.db.prepare('SELECT key, value_json FROM setting ORDER BY key').all() as {
    key: string;
    value_json: string;
  }[];
  return Object.fromEntries(rows.map((r) => [r.key, fromJson(r.value_json)]));
}
