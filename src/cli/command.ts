/**
 * How a `dgs` command is declared: its words, a one-line summary, its usage text, the options it takes
 * (node:util parseArgs), and what it does. Commands print results on stdout and progress on stderr, and
 * throw UserError for anything the user can fix.
 */
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  /** stdout: results */
  out: (line: string) => void;
  /** stderr: progress and notes */
  err: NodeJS.WriteStream;
  debug: boolean;
}

export interface Command {
  /** e.g. ['label', 'import'] */
  words: string[];
  summary: string;
  usage: string;
  options: OptionSpec;
  /** How many positionals: [min, max]. */
  positionals: [number, number];
  /** Trains or generates: where compute would open, the command runs again with the compute process's settings (relaunch.ts). */
  relaunch?: boolean;
  run(ctx: CommandContext): Promise<void>;
}
