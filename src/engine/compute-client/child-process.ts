/**
 * A compute process as a Node child process (`dgs serve`, tests): forked with the 'advanced' IPC
 * serialization, so typed arrays cross as structured clones. The script and its loader flags come from
 * the caller (src/compute/compute-process-path.ts). What it writes to stderr is held back until it has
 * answered (so a process that cannot start is one sentence, not a stack trace per try), then passed on.
 */
import { fork } from 'node:child_process';
import type { FromCompute, ToCompute } from '../../shared/compute-protocol';
import { childProcessEndpoint } from '../../node/rpc-endpoints';
import type { ComputeLauncher, ComputeProcess } from './supervisor';

export interface ChildComputeOptions {
  script: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Where the process's stderr goes once it has answered (default: this process's stderr). */
  stderr?: NodeJS.WritableStream;
}

/** How much of a starting process's stderr is kept to name the cause when it dies. */
const STARTUP_OUTPUT_BYTES = 64 * 1024;

export function childProcessLauncher(opts: ChildComputeOptions): ComputeLauncher {
  return (): ComputeProcess => {
    const child = fork(opts.script, [], {
      execArgv: opts.execArgv ?? [],
      env: opts.env ?? process.env,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const sink = opts.stderr ?? process.stderr;
    let held: string | null = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      if (held === null) sink.write(chunk);
      else held = (held + chunk).slice(-STARTUP_OUTPUT_BYTES);
    });
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
      child.once('error', (e) => resolve(`could not start: ${e.message}`));
    });
    return {
      pid: child.pid,
      exited,
      endpoint: childProcessEndpoint<FromCompute, ToCompute>(child),
      startupOutput: () => held ?? '',
      answered() {
        if (held) sink.write(held);
        held = null;
      },
      async dispose() {
        child.kill();
        await exited;
      },
    };
  };
}
