/**
 * What `dgs serve` keeps between its starts for one project, so that a page left open reconnects when
 * the server is restarted: the access token and the port. They are kept in the CLI's settings folder
 * (never beside the project, which may sit on a shared drive), in a file only this user can read
 * (0600), keyed by the project's absolute path. `--new-token` makes a new token, which locks out every
 * page that had the old one. The server's token check is unchanged: a page reconnects only because it
 * still holds the same token, on the same origin.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cliSettingsFile } from './author';

export interface ServeSession {
  token: string;
  port: number | null;
}

function sessionsFile(): string {
  return path.join(path.dirname(cliSettingsFile()), 'serve-sessions.json');
}

function readAll(): Record<string, ServeSession> {
  const file = sessionsFile();
  try {
    // A file others can read is not trusted to hold tokens: it is ignored and written anew, privately.
    if ((fs.statSync(file).mode & 0o077) !== 0) return {};
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Partial<ServeSession>>;
    const out: Record<string, ServeSession> = {};
    for (const [project, s] of Object.entries(parsed)) {
      if (typeof s.token === 'string' && /^[A-Za-z0-9_-]{32,}$/.test(s.token))
        out[project] = { token: s.token, port: typeof s.port === 'number' ? s.port : null };
    }
    return out;
  } catch {
    return {};
  }
}

/** The token and port the last server for `project` used, or a fresh token when there is none (or `fresh`). */
export function serveSession(project: string, fresh: boolean): ServeSession {
  const kept = fresh ? undefined : readAll()[project];
  return kept ?? { token: randomBytes(24).toString('base64url'), port: null };
}

/** Remember the token and port this server uses for `project`, readable by this user only. */
export function rememberServeSession(project: string, session: ServeSession): void {
  const file = sessionsFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ ...readAll(), [project]: session }, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}
