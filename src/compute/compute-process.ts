/**
 * The compute process's entry. It runs as an Electron utility process (the app: main hands it one end
 * of a MessageChannelMain through `process.parentPort`) or as a Node child process (`dgs serve`, tests:
 * messages over the IPC channel with `serialization: 'advanced'`, so typed arrays are cloned, not
 * turned into JSON). Either way it serves one LocalComputeCore over the typed RPC until its owner goes
 * away. This entry is where the environment is read (DGS_PROVIDER) and the worker scripts are found;
 * the core is told both.
 */
import { COMPUTE_METHODS, type FromCompute, type ToCompute } from '../shared/compute-protocol';
import type { ComputeService } from '../shared/compute-api';
import { serveRpc } from '../shared/rpc';
import { messagePortEndpoint, parentProcessEndpoint, type MessagePortLike } from '../node/rpc-endpoints';
import { LocalComputeCore } from './compute-core';
import { providerForcedBy } from './runtime/execution-provider';
import { defaultWorkerScripts } from './worker-scripts';

const core = new LocalComputeCore({
  workerScripts: defaultWorkerScripts(),
  forceProvider: providerForcedBy(process.env),
});
const parentPort = (
  process as unknown as {
    parentPort?: MessagePortLike & {
      on(event: 'message', listener: (e: { data: unknown; ports?: MessagePortLike[] }) => void): void;
    };
  }
).parentPort;
if (parentPort) {
  parentPort.on('message', function first(e: { data: unknown; ports?: MessagePortLike[] }) {
    const port = e.ports?.[0];
    if (!port) return;
    parentPort.off('message', first);
    serveRpc<ComputeService>(messagePortEndpoint<ToCompute, FromCompute>(port), core, COMPUTE_METHODS);
  });
} else if (process.send) {
  serveRpc<ComputeService>(parentProcessEndpoint<ToCompute, FromCompute>(), core, COMPUTE_METHODS);
  // The owner is gone: nothing more will come.
  process.on('disconnect', () => {
    void core.dispose().finally(() => process.exit(0));
  });
} else {
  process.stderr.write('compute-process runs as a utility or child process of DatasetGAN Studio, not on its own.\n');
  process.exit(1);
}
