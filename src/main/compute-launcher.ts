/**
 * The compute process of the desktop app: an Electron utility process running the built compute bundle
 * (out/main/compute.js), linked to main by a MessageChannelMain. Messages are structured-cloned (typed
 * arrays arrive as typed arrays; Electron copies them, it cannot move them).
 */
import { MessageChannelMain, utilityProcess } from 'electron';
import type { FromCompute, ToCompute } from '../shared/compute-protocol';
import { messagePortEndpoint } from '../node/rpc-endpoints';
import { COMPUTE_NODE_FLAGS, computeProcessEnv } from '../node/compute-process-settings';
import type { ComputeLauncher, ComputeProcess } from '../engine/compute-client/supervisor';

export function utilityProcessLauncher(script: string): ComputeLauncher {
  return (): ComputeProcess => {
    const child = utilityProcess.fork(script, [], {
      serviceName: 'DatasetGAN Studio compute',
      stdio: 'inherit',
      execArgv: [...COMPUTE_NODE_FLAGS],
      env: computeProcessEnv(),
    });
    const { port1, port2 } = new MessageChannelMain();
    child.postMessage({ type: 'port' }, [port2]);
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code) => {
        port1.close();
        resolve(`exit code ${code}`);
      });
    });
    return {
      get pid() {
        return child.pid;
      },
      exited,
      endpoint: messagePortEndpoint<FromCompute, ToCompute>(port1),
      async dispose() {
        child.kill();
        await exited;
      },
    };
  };
}
