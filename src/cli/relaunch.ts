/**
 * The commands that train or generate run compute in their own process, which the compute process's
 * memory settings (src/node/compute-process-settings.ts) can only be given at its start: such a command
 * starts `dgs` once more with them and passes its exit on. The parent does nothing meanwhile; the child
 * is the command.
 *
 * - The child runs in a process group of its own, so a signal reaches it once, from the parent, whether
 *   it came from a terminal (Ctrl-C reaches the whole foreground group) or was sent to `dgs` alone:
 *   SIGINT, SIGTERM and SIGHUP are passed on. One Ctrl-C must stay one, since a second one kills.
 * - The child ends with its parent, even a SIGKILLed one (its IPC channel closes): killing `dgs` stops the
 *   command, as it did when it was one process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { COMPUTE_NODE_FLAGS, computeProcessEnv } from '../node/compute-process-settings';

/** Set in the relaunched process: it has the settings, and it follows its parent. */
const RELAUNCHED = 'DGS_RELAUNCHED';

/** The script to relaunch when the command about to run comes to compute (set by main, read by session.ts). */
let armed: string | undefined;

/**
 * main, before a command runs: the script that started this process when the command trains or
 * generates (its compute then runs in that script relaunched), else undefined. Windows has neither glibc
 * nor the signals this relies on: there the command runs as it is.
 */
export function armRelaunch(entry: string | undefined): void {
  armed = process.env[RELAUNCHED] !== '1' && process.platform !== 'win32' ? entry : undefined;
}

/** Thrown where compute would open in this process; main then relaunches `entry` with the same arguments. */
export class RelaunchRequest extends Error {
  override readonly name = 'RelaunchRequest';
  constructor(readonly entry: string) {
    super('the command continues in a relaunched process');
  }
}

/**
 * session.ts, where compute would open in this process: with the command armed, stop here and let main
 * relaunch it. The arguments are checked and the project file opened by then, so a mistake in either is
 * answered by this process alone; nothing has been changed yet.
 */
export function relaunchInsteadOfComputing(): void {
  if (armed) throw new RelaunchRequest(armed);
}

/** Runs `entry` with the same arguments in a child with the compute settings; resolves to its exit code. */
export async function relaunchWithComputeSettings(entry: string, argv: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...COMPUTE_NODE_FLAGS, entry, ...argv], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...computeProcessEnv(), [RELAUNCHED]: '1' },
    detached: true,
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const passOn = (signal: NodeJS.Signals) => child.kill(signal);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, passOn);
  try {
    const [code, signal] = await exited;
    // A child ended by a signal: 128 + its number, as a shell reports it.
    return signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1);
  } finally {
    for (const s of signals) process.off(s, passOn);
  }
}

/** In the relaunched process: end at once when the parent is gone, and let the channel keep nothing alive. */
export function followParent(): void {
  if (process.env[RELAUNCHED] !== '1' || !process.connected) return;
  process.channel?.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}
