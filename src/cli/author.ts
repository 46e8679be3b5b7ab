/**
 * Who is working, for the project's history (docs/sharing.md): `--author NAME`, else the DGS_AUTHOR
 * environment variable, else the name this user gave before (kept in the CLI's settings file). When
 * none is known, a command that records work asks once on a terminal and remembers the answer; without
 * a terminal it refuses with a sentence. A name is never guessed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { UserError } from '../shared/errors';
import { cleanAuthor } from '../engine/project/contributors';
import { stringOption } from './args';

/** The CLI's settings file: $DGS_CONFIG_DIR, else $XDG_CONFIG_HOME/datasetgan-studio, else ~/.config/datasetgan-studio. */
export function cliSettingsFile(): string {
  const dir =
    process.env.DGS_CONFIG_DIR ||
    path.join(process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'datasetgan-studio');
  return path.join(dir, 'cli.json');
}

function remembered(): string | null {
  try {
    const v = (JSON.parse(fs.readFileSync(cliSettingsFile(), 'utf8')) as { author?: unknown }).author;
    return typeof v === 'string' && v.trim() ? cleanAuthor(v) : null;
  } catch {
    return null;
  }
}

function remember(name: string): void {
  const file = cliSettingsFile();
  let settings: Record<string, unknown> = {};
  try {
    settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    settings = {};
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ ...settings, author: name }, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

/** The author when one is known (flag, environment, remembered); null otherwise, without asking. */
export function knownAuthor(values: Record<string, unknown>): string | null {
  const flag = stringOption(values.author);
  if (flag !== undefined) return cleanAuthor(flag);
  const env = process.env.DGS_AUTHOR;
  if (env !== undefined && env.trim() !== '') return cleanAuthor(env);
  return remembered();
}

export interface AskIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

/**
 * The author for a command that records work (`what`, e.g. "dgs label import"): known, or asked once on
 * a terminal and remembered, or a refusal naming the two ways to give it.
 */
export async function requireAuthor(
  values: Record<string, unknown>,
  what: string,
  io: AskIo = { input: process.stdin, output: process.stderr },
): Promise<string> {
  const known = knownAuthor(values);
  if (known) return known;
  if (!io.input.isTTY) {
    throw new UserError(
      `${what} records who made each change; give your name with --author NAME or the DGS_AUTHOR environment variable.`,
    );
  }
  io.output.write(`${what} records who made each change. Your name (asked once, kept in ${cliSettingsFile()}): `);
  const answer = await new Promise<string>((resolve) => {
    const rl = createInterface({ input: io.input, terminal: false });
    rl.once('line', (line) => {
      resolve(line);
      rl.close();
    });
    rl.once('close', () => resolve(''));
  });
  const name = cleanAuthor(answer);
  remember(name);
  return name;
}
