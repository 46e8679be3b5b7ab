/**
 * `dgs`: the engine on the command line (DESIGN §2). Exit codes: 0 done, 1 the user's error (a sentence
 * on stderr), 2 an internal error (a sentence; the stack trace only with --debug).
 */
import { parseArgs } from 'node:util';
import { isUserError, UserError, userErrorCode } from '../shared/errors';
import type { Command } from './command';
import { COMMANDS } from './commands';
import { armRelaunch, followParent, RelaunchRequest, relaunchWithComputeSettings } from './relaunch';

const GLOBAL_OPTIONS = { help: { type: 'boolean', short: 'h' }, debug: { type: 'boolean' } } as const;

function overview(): string {
  const rows = COMMANDS.map((c) => `  dgs ${c.words.join(' ').padEnd(16)} ${c.summary}`);
  return [
    'DatasetGAN Studio command line: a StyleGAN generator plus a few annotated samples → a labeled dataset.',
    '',
    'Usage: dgs <command> [options]      dgs <command> --help for its options',
    '',
    'Commands:',
    ...rows,
    '',
    'Global options: --help, --debug (show stack traces of internal errors).',
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  // Longest match first, so "label import" wins over a hypothetical "label".
  const sorted = [...COMMANDS].sort((a, b) => b.words.length - a.words.length);
  for (const command of sorted) {
    if (command.words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(command.words.length) };
  }
  return null;
}

/**
 * `--count -1` means the value -1 to a user, but parseArgs reads "-1" as an option; such values are
 * joined to their flag (`--count=-1`) so the option's own check answers with its usual sentence.
 */
function joinDashValues(command: Command, args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') && !args[i].includes('=') ? args[i].slice(2) : null;
    const next = args[i + 1];
    if (
      name &&
      command.options[name]?.type === 'string' &&
      next !== undefined &&
      /^-[^-]/.test(next) &&
      !/^-[a-zA-Z]$/.test(next)
    ) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

function parse(command: Command, rest: string[]) {
  try {
    return parseArgs({
      args: joinDashValues(command, rest),
      options: { ...command.options, ...GLOBAL_OPTIONS },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/\. To specify.*$/s, '') : String(e);
    throw new UserError(`${why.replace(/\.$/, '')}; see \`dgs ${command.words.join(' ')} --help\`.`);
  }
}

/**
 * Runs one command line. `entry` is the script that started this process (bin/dgs.js): given, a command
 * that trains or generates continues in that script relaunched with the compute settings (relaunch.ts);
 * a caller in another program (a test) leaves it out and the command runs in its process.
 */
export async function main(argv: string[], entry?: string): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  try {
    if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
      process.stdout.write(overview() + '\n');
      return 0;
    }
    const found = findCommand(args);
    if (!found) throw new UserError(`"${args[0]}" is not a dgs command; run \`dgs --help\` for the list.`);
    const { command, rest } = found;
    const { values, positionals } = parse(command, rest);
    if (values.help) {
      process.stdout.write(command.usage.trim() + '\n');
      return 0;
    }
    const [min, max] = command.positionals;
    if (positionals.length < min || positionals.length > max) {
      throw new UserError(
        `dgs ${command.words.join(' ')} takes ${min === max ? min : `${min} to ${max}`} argument(s); see \`dgs ${command.words.join(' ')} --help\`.`,
      );
    }
    armRelaunch(command.relaunch === true ? entry : undefined);
    followParent();
    await command.run({
      positionals,
      values: values as Record<string, string | boolean | string[] | undefined>,
      out: (line) => process.stdout.write(line + '\n'),
      err: process.stderr,
      debug,
    });
    return 0;
  } catch (e) {
    if (e instanceof RelaunchRequest) return await relaunchWithComputeSettings(e.entry, argv);
    if (isUserError(e)) {
      process.stderr.write(`dgs: ${e.message}\n`);
      const details = (e as UserError).details;
      if (debug && details) process.stderr.write(details + '\n');
      if (debug && e.stack) process.stderr.write(e.stack + '\n');
      return userErrorCode(e) === 'interrupted' ? 130 : 1;
    }
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    process.stderr.write(`dgs: internal error: ${msg}. This is a bug; rerun with --debug and report the output.\n`);
    if (debug && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
    return 2;
  }
}
