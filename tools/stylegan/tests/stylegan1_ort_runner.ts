/**
 * Runs ONNX graphs in onnxruntime-node (the runtime the app uses) for the Python parity tests, which
 * have no onnxruntime of their own.
 *
 *   npx tsx tools/stylegan/tests/stylegan1_ort_runner.ts jobs.json
 *
 * jobs.json: [{ "model": "path.onnx", "inputs": { "<name>": { "shape": [..], "file": "x.f32" } },
 *               "outDir": "dir" }, …]. Inputs and outputs are raw little-endian float32 files. For each
 * job every graph output is written to `<outDir>/<name>.f32`, and `<outDir>/outputs.json` lists
 * { name: { shape, file } }. One process runs all jobs so the tests pay node's start-up once.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

interface TensorFile {
  shape: number[];
  file: string;
}
interface Job {
  model: string;
  inputs: Record<string, TensorFile>;
  outDir: string;
}

function readFloat32(file: string): Float32Array {
  const buf = readFileSync(file);
  // Copy into a fresh, aligned buffer: a Buffer may sit at any offset of a shared pool.
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

async function runJob(job: Job): Promise<void> {
  const session = await ort.InferenceSession.create(job.model, { intraOpNumThreads: 2 });
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(job.inputs)) {
    const data = readFloat32(t.file);
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (data.length !== expected)
      throw new Error(`${t.file} holds ${data.length} floats, shape ${t.shape} needs ${expected}`);
    feeds[name] = new ort.Tensor('float32', data, t.shape);
  }
  const results = await session.run(feeds);
  mkdirSync(job.outDir, { recursive: true });
  const listing: Record<string, TensorFile> = {};
  for (const name of session.outputNames) {
    const tensor = results[name];
    if (tensor.type !== 'float32') throw new Error(`output ${name} is ${tensor.type}, expected float32`);
    const data = tensor.data as Float32Array;
    const file = path.join(job.outDir, `${name}.f32`);
    writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    listing[name] = { shape: tensor.dims.map(Number), file };
  }
  writeFileSync(path.join(job.outDir, 'outputs.json'), JSON.stringify(listing, null, 2));
  await session.release();
}

async function main(): Promise<void> {
  const jobsFile = process.argv[2];
  if (!jobsFile) throw new Error('usage: stylegan1_ort_runner.ts jobs.json');
  const jobs = JSON.parse(readFileSync(jobsFile, 'utf8')) as Job[];
  for (const job of jobs) await runJob(job);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
