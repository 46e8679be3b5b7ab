import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../shared/errors';
import { isLoopback, validHostName } from '../../engine/api/allowed-hosts';
import { intOption, quoted, stringOption } from '../args';
import type { Command } from '../command';

/** A repeatable option's values (parseArgs gives an array with `multiple: true`). */
function repeated(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}

function allowedHosts(value: unknown, host: string): string[] {
  const names = repeated(value).map((n) => n.trim().toLowerCase());
  for (const n of names)
    if (!validHostName(n))
      throw new UserError(
        `--allow-host takes a host name such as gpu-box.lan or an address such as 10.0.0.5, without a port; got ${quoted(n)}.`,
      );
  if (!isLoopback(host) && names.length === 0)
    throw new UserError(
      `--host ${host} makes the studio reachable from other machines: name the host name their browsers will use with --allow-host NAME (e.g. --allow-host ${os.hostname().toLowerCase()}), so that no other web site can reach it through a name pointed at this machine; or use an SSH tunnel to 127.0.0.1.`,
    );
  return names;
}

function allowedDirs(value: unknown): string[] {
  return repeated(value).map((d) => {
    const abs = path.resolve(d);
    if (!fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory())
      throw new UserError(`--allow-dir ${d} is not a folder; create it first, or name an existing one.`);
    return abs;
  });
}

export const serveCommand: Command = {
  words: ['serve'],
  summary: 'serve the studio to a browser (e.g. from a GPU server)',
  positionals: [1, 1],
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
    'allow-dir': { type: 'string', multiple: true },
    'new-token': { type: 'boolean' },
  },
  usage: `
Usage: dgs serve <file.dgs> [--host 127.0.0.1] [--port N] [--allow-host NAME]... [--allow-dir DIR]... [--new-token]

Serve the studio for one project to a web browser: the same screens as the desktop app, with compute
(sampling, training, generation) running in a separate process on this machine. Prints a URL with a
random access token; without the token every request is refused (401). If <file.dgs> does not exist
yet, the browser offers to create it.

Where it listens: loopback (127.0.0.1) unless --host says otherwise; reach a remote machine through an
SSH tunnel (ssh -L 8765:127.0.0.1:8765 server, then dgs serve … --port 8765). It answers only requests
addressed to 127.0.0.1, localhost or [::1] with its port, and coming from its own page. With --host
0.0.0.0 (or another address reachable from other machines) name the host names browsers will use with
--allow-host NAME: anyone who can reach the port and has the URL then controls the project, over plain
HTTP.

What it reads and writes: the project file; inside the project's folder (and each --allow-dir DIR):
the dataset folders you generate into, labeler copies, the copies you merge in (the project before a
merge is kept beside it as NAME.before-merge-….dgs), and model bundles or checkpoints for a new project.
Nothing else; a relative path in the studio is taken from the project's folder.

Started again for the same project, it serves on the same port with the same token (kept for this
user only, in serve-sessions.json beside the CLI's settings), so pages left open reconnect and keep
their unsaved work. --new-token makes a new token: pages with the old one must open the new URL.`,
  async run({ positionals, values, out, err, debug }) {
    const file = path.resolve(positionals[0]);
    if (!/\.dgs$/i.test(file))
      throw new UserError(`${positionals[0]} does not end in .dgs; name a project file such as faces.dgs.`);
    const host = stringOption(values.host) ?? '127.0.0.1';
    const port = values.port === undefined ? null : intOption(values.port, '--port', 0, 65535, 0);
    const allowHosts = allowedHosts(values['allow-host'], host);
    const allowDirs = allowedDirs(values['allow-dir']);
    if (!isLoopback(host))
      err.write(
        `dgs: warning: serving on ${host}, reachable from other machines as ${allowHosts.join(', ')}: anyone who can reach this port and has the printed URL controls this project, and the URL's token crosses the network unencrypted; prefer an SSH tunnel to 127.0.0.1.\n`,
      );
    const { serveStudio } = await import('../serve-studio');
    await serveStudio({
      file,
      host,
      port,
      newToken: values['new-token'] === true,
      allowHosts,
      allowDirs,
      out,
      err,
      debug,
    });
  },
};
