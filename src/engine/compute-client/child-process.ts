/**
 * A compute process as a Node child process (`dgs serve`, tests): forked with the 'advanced' IPC
 * serialization, so typed arrays cross as structured clones. The script and its loader flags come from
 * the caller (src/compute/compute-process-path.ts for the sources).
 */
import { fork } from 'node:child_process';
import type { FromCompute, ToCompute } from '../../shared/compute-protocol';
import { childProcessEndpoint } from '../../node/rpc-endpoints';
import type { ComputeLauncher, ComputeProcess } from './supervisor';

export interface ChildComputeOptions {
  script: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

export function childProcessLauncher(opts: ChildComputeOptions): ComputeLauncher {
  return (): ComputeProcess => {
    const child = fork(opts.script, [], {
      execArgv: opts.execArgv ?? [],
      env: opts.env ?? process.env,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
      child.once('error', (e) => resolve(`could not start: ${e.message}`));
    });
    return {
      pid: child.pid,
      exited,
      endpoint: childProcessEndpoint<FromCompute, ToCompute>(child),
      async dispose() {
        child.kill();
        await exited;
      },
    };
  };
}
