/**
 * `dgs serve` once its options are checked: the project opened first (a file it refuses ends the command
 * at once, before any compute process starts), then the compute process, which must answer before the
 * URL is printed, then the HTTP server until Ctrl-C or SIGTERM. A compute process that cannot start, at
 * first or after a crash, ends the command with the supervisor's sentence (exit 1).
 */
import fs from 'node:fs';
import { computeProcessScript } from '../compute/compute-process-path';
import { computeOver } from '../shared/compute-api';
import { UserError } from '../shared/errors';
import { childProcessLauncher } from '../engine/compute-client/child-process';
import { ComputeSupervisor } from '../engine/compute-client/supervisor';
import { createHandlers } from '../engine/api/handlers';
import { startStudioServer, type StudioServer } from '../engine/api/http-server';
import { servedServices } from '../engine/api/served-services';
import { StudioHost } from '../engine/api/studio-host';
import { ensureRendererBuilt } from './renderer-build';
import { rememberServeSession, serveSession } from './serve-session';

export interface ServeOptions {
  file: string;
  host: string;
  /** The port asked for; null: the one this project had last time, else any free one. */
  port: number | null;
  /** A new access token instead of the one kept for this project (--new-token). */
  newToken: boolean;
  allowHosts: string[];
  allowDirs: string[];
  out: (line: string) => void;
  err: NodeJS.WritableStream;
  debug: boolean;
}

export async function serveStudio(opts: ServeOptions): Promise<void> {
  const { file, err } = opts;
  const supervisor = new ComputeSupervisor(childProcessLauncher(computeProcessScript()));
  const studio = new StudioHost(servedServices(file, opts.allowDirs), computeOver(supervisor.core));
  let server: StudioServer | null = null;
  const stopSignals = new AbortController();
  const stop = () => stopSignals.abort();
  try {
    if (fs.existsSync(file)) await studio.openProject(file);
    const rendererDir = await ensureRendererBuilt((line) => err.write(line + '\n'));
    const gaveUp = new Promise<never>((_, reject) => {
      supervisor.onDidFailToStart((f) => {
        if (opts.debug && f.output) err.write(f.output.endsWith('\n') ? f.output : f.output + '\n');
        reject(new UserError(f.message));
      });
    });
    gaveUp.catch(() => undefined);
    supervisor.onDidCrash((c) => {
      err.write(`dgs: ${c.message}\n`);
      studio.computeCrashed(c.message);
    });
    await Promise.race([supervisor.ready(), gaveUp]);
    const session = serveSession(file, opts.newToken);
    const start = (port: number) =>
      startStudioServer({
        host: opts.host,
        port,
        allowHosts: opts.allowHosts,
        token: session.token,
        rendererDir,
        handlers: createHandlers(studio),
        onEvent: (l) => studio.onEvent(l),
      });
    server = await start(opts.port ?? session.port ?? 0).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      // The port it had last time is taken now: any free one will do (pages left open cannot reconnect).
      if (opts.port === null) return start(0);
      throw new UserError(
        `Port ${opts.port} is in use by another program; choose another with --port, or leave it out.`,
      );
    });
    rememberServeSession(file, { token: session.token, port: Number(new URL(server.url).port) });
    opts.out(`DatasetGAN Studio is serving ${file}`);
    opts.out(`Open ${server.urlWithToken}`);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const stopped = new Promise<void>((resolve) => stopSignals.signal.addEventListener('abort', () => resolve()));
    await Promise.race([stopped, gaveUp]);
    err.write('Stopping…\n');
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await server?.dispose();
    await studio.dispose();
  }
}
