/**
 * Who worked on a project: every author who saved a change, with the first and last time. Merges take
 * the union.
 */
import type { Contributor } from '../../shared/project-types';
import { UserError } from '../../shared/errors';
import { nowIso, type Ctx } from './store';

export const MAX_AUTHOR = 100;

/** An author's name as stored: trimmed, 1–100 characters, no control characters. */
export function cleanAuthor(name: unknown): string {
  const n = typeof name === 'string' ? name.trim() : '';
  // eslint-disable-next-line no-control-regex
  if (n.length === 0 || n.length > MAX_AUTHOR || /[\u0000-\u001f\u007f]/.test(n)) {
    throw new UserError(
      `An author name must be 1 to ${MAX_AUTHOR} characters without control characters; got "${String(name)}".`,
    );
  }
  return n;
}

export function noteContributor(ctx: Ctx, name: string | null | undefined, at = nowIso()): void {
  if (name === null || name === undefined || name.trim() === '') return;
  ctx.db
    .prepare(
      `INSERT INTO contributor (name, first_at, last_at) VALUES (?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)`,
    )
    .run(name, at, at);
}

export function listContributors(ctx: Ctx): Contributor[] {
  const rows = ctx.db.prepare('SELECT name, first_at, last_at FROM contributor ORDER BY first_at, name').all() as {
    name: string;
    first_at: string;
    last_at: string;
  }[];
  return rows.map((r) => ({ name: r.name, firstAt: r.first_at, lastAt: r.last_at }));
}
