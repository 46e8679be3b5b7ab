/**
 * The compute process's entry. It runs as an Electron utility process (the app: main hands it one end
 * of a MessageChannelMain through `process.parentPort`) or as a Node child process (`dgs serve`, tests:
 * messages over the IPC channel with `serialization: 'advanced'`, so typed arrays are cloned, not
 * turned into JSON). Either way it serves one LocalComputeCore until its owner goes away.
 */
import { fileURLToPath } from 'node:url';
import type { FromCompute, MessageEndpoint, ToCompute } from '../shared/compute-protocol';
import { LocalComputeCore } from './compute-core';
import { serveCompute } from './compute-host';
import { setTrainWorkerScript } from './interpreter/train/pool';
import { setWriteWorkerScript } from '../node/dataset-writer/writer-pool';
import { setLabelWorkerScript } from './interpreter/label/thread';

/** Electron's MessagePortMain and parentPort, described structurally (compute never imports electron). */
interface PortLike {
  on(event: 'message', listener: (e: { data: unknown; ports?: PortLike[] }) => void): void;
  off(event: 'message', listener: (e: { data: unknown; ports?: PortLike[] }) => void): void;
  postMessage(message: unknown): void;
  start?(): void;
}

function portEndpoint(port: PortLike): MessageEndpoint<ToCompute, FromCompute> {
  return {
    post: (m) => port.postMessage(m),
    listen(listener) {
      const on = (e: { data: unknown }) => listener(e.data as ToCompute);
      port.on('message', on);
      port.start?.();
      return () => port.off('message', on);
    },
  };
}

function processEndpoint(): MessageEndpoint<ToCompute, FromCompute> {
  return {
    post: (m) => process.send!(m),
    listen(listener) {
      const on = (m: unknown) => listener(m as ToCompute);
      process.on('message', on);
      return () => process.off('message', on);
    },
  };
}

// A built bundle (the app) ships the training, labeling and writer workers as their own files beside this one;
// from sources the pools find their boot .mjs files themselves.
if (import.meta.url.endsWith('.js')) {
  setTrainWorkerScript(fileURLToPath(new URL('./train-worker.js', import.meta.url)));
  setWriteWorkerScript(fileURLToPath(new URL('./write-worker.js', import.meta.url)));
  setLabelWorkerScript(fileURLToPath(new URL('./label-worker.js', import.meta.url)));
}

const core = new LocalComputeCore();
const parentPort = (process as unknown as { parentPort?: PortLike }).parentPort;
if (parentPort) {
  parentPort.on('message', function first(e) {
    const port = e.ports?.[0];
    if (!port) return;
    parentPort.off('message', first);
    serveCompute(portEndpoint(port), core);
  });
} else if (process.send) {
  serveCompute(processEndpoint(), core);
  // The owner is gone: nothing more will come.
  process.on('disconnect', () => {
    void core.dispose().finally(() => process.exit(0));
  });
} else {
  process.stderr.write('compute-process runs as a utility or child process of DatasetGAN Studio, not on its own.\n');
  process.exit(1);
}
