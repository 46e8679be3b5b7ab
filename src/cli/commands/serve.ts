import fs from 'node:fs';
import path from 'node:path';
import { computeProcessScript } from '../../compute/compute-process-path';
import { computeOver } from '../../shared/compute-api';
import { UserError } from '../../shared/errors';
import { childProcessLauncher } from '../../engine/compute-client/child-process';
import { ComputeSupervisor } from '../../engine/compute-client/supervisor';
import { createHandlers } from '../../engine/api/handlers';
import { isLoopback, startStudioServer } from '../../engine/api/http-server';
import { StudioHost, type HostServices } from '../../engine/api/studio-host';
import { intOption, stringOption } from '../args';
import type { Command } from '../command';
import { ensureRendererBuilt } from '../renderer-build';
import { rememberServeSession, serveSession } from '../serve-session';

/** What the browser studio may do on this machine: only the one project file it was given. */
function servedServices(file: string): HostServices {
  const only = path.resolve(file);
  return {
    transport: 'web',
    // The browser has no file dialog: "Open project" can open only the file the server was given.
    chooseProjectFile: async () => {
      if (fs.existsSync(only)) return only;
      throw new UserError(
        `This studio serves one project, ${only}, which does not exist yet; create it with New project, or restart \`dgs serve\` with another project file.`,
      );
    },
    chooseNewProjectFile: async () => (fs.existsSync(only) ? null : only),
    chooseFolder: async () => null,
    chooseFile: async () => null,
    chooseSaveFile: async () => null,
    openFolder: async () => {
      throw new UserError('The browser cannot open folders on the server; open the folder there.');
    },
    mayUseProject: (f) => path.resolve(f) === only,
    recent: {
      list: () =>
        fs.existsSync(only)
          ? [{ file: only, name: path.basename(only, '.dgs'), openedAt: new Date().toISOString() }]
          : [],
      add: () => undefined,
    },
  };
}

export const serveCommand: Command = {
  words: ['serve'],
  summary: 'serve the studio to a browser (e.g. from a GPU server)',
  positionals: [1, 1],
  options: { host: { type: 'string' }, port: { type: 'string' }, 'new-token': { type: 'boolean' } },
  usage: `
Usage: dgs serve <file.dgs> [--host 127.0.0.1] [--port N] [--new-token]

Serve the studio for one project to a web browser: the same screens as the desktop app, with compute
(sampling, training, generation) running in a separate process on this machine. Prints a URL with a
random access token; without the token every request is refused (401). Binds to loopback unless --host
says otherwise (reach a remote machine through an SSH tunnel: ssh -L 8765:127.0.0.1:8765 server). If
<file.dgs> does not exist yet, the browser offers to create it. The studio reads and writes only that
file and the folders you name in it (a generated dataset's output folder).

Started again for the same project, it serves on the same port with the same token (kept for this
user only, in serve-sessions.json beside the CLI's settings), so pages left open reconnect and keep
their unsaved work. --new-token makes a new token: pages with the old one must open the new URL.`,
  async run({ positionals, values, out, err }) {
    const file = path.resolve(positionals[0]);
    if (!/\.dgs$/i.test(file))
      throw new UserError(`${positionals[0]} does not end in .dgs; name a project file such as faces.dgs.`);
    const host = stringOption(values.host) ?? '127.0.0.1';
    const session = serveSession(file, values['new-token'] === true);
    const port = values.port === undefined ? null : intOption(values.port, '--port', 0, 65535, 0);
    if (!isLoopback(host))
      err.write(
        `dgs: warning: serving on ${host}, reachable from other machines; anyone with the printed URL controls this project. Prefer an SSH tunnel to 127.0.0.1.\n`,
      );
    const rendererDir = await ensureRendererBuilt((line) => err.write(line + '\n'));
    const supervisor = new ComputeSupervisor(childProcessLauncher(computeProcessScript()));
    const studio = new StudioHost(servedServices(file), computeOver(supervisor.core));
    supervisor.onDidCrash((c) => {
      err.write(`dgs: ${c.message}\n`);
      studio.computeCrashed(c.message);
    });
    supervisor.start();
    if (fs.existsSync(file)) await studio.openProject(file);
    const start = (p: number) =>
      startStudioServer({
        host,
        port: p,
        token: session.token,
        rendererDir,
        handlers: createHandlers(studio),
        onEvent: (l) => studio.onEvent(l),
      });
    const server = await start(port ?? session.port ?? 0).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      // The port it had last time is taken now: any free one will do (pages left open cannot reconnect).
      if (port === null) return start(0);
      throw new UserError(`Port ${port} is in use by another program; choose another with --port, or leave it out.`);
    });
    rememberServeSession(file, { token: session.token, port: Number(new URL(server.url).port) });
    out(`DatasetGAN Studio is serving ${file}`);
    out(`Open ${server.urlWithToken}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    err.write('Stopping…\n');
    await server.dispose();
    await studio.dispose();
  },
};
