/**
 * The sample writer thread (writer-pool.ts): encodes and writes each sample's files (PNGs, JPEG, COCO
 * fragment, YOLO text) off the compute thread, whose onnxruntime runs block it. Protocol: the parent
 * posts { id, name, sample }; the worker answers { id } when every file is in place, or { id, error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LabeledSample } from '../../shared/dataset-types';
import { writeSampleFiles, type SampleWriteContext } from './sample-files';

const port = parentPort;
if (!port) throw new Error('write-worker runs as a worker thread');
const ctx = workerData as SampleWriteContext;
port.on('message', (m: { id: number; name: string; sample: LabeledSample }) => {
  writeSampleFiles(ctx, m.name, m.sample).then(
    () => port.postMessage({ id: m.id }),
    (e: unknown) => port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
