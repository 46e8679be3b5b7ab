/**
 * Runs a model bundle in onnxruntime-node so the Python tests can compare its outputs with PyTorch.
 *
 *   npx tsx tools/stylegan/tests/check_bundle_ort.ts <job.json>
 *
 * job.json: { "bundle": dir, "cases": [{ "batch": B, "z": file, "ws": file, "out": dir }] } where z and
 * ws are raw little-endian float32 files ([B, zDim] and [B, numWs, wDim]). For each case it writes into
 * `out` one raw float32 file per graph output (`mapping.<name>.bin`, `synthesis.<name>.bin`) and a
 * `shapes.json` mapping those file names to their dims. The manifest is first checked against the app's
 * own zod schema (src/shared/bundle-manifest.ts), so every bundle the tests run is one the app accepts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { BundleManifestSchema } from '../../../src/shared/bundle-manifest';

interface Job {
  bundle: string;
  cases: { batch: number; z: string; ws: string; out: string }[];
}

function readFloats(file: string, expected: number): Float32Array {
  const buf = readFileSync(file);
  const arr = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  if (arr.length !== expected) throw new Error(`${file} holds ${arr.length} floats, expected ${expected}`);
  return arr;
}

async function runGraph(
  session: ort.InferenceSession,
  input: string,
  data: Float32Array,
  dims: number[],
  prefix: string,
  outDir: string,
  shapes: Record<string, number[]>,
): Promise<void> {
  const result = await session.run({ [input]: new ort.Tensor('float32', data, dims) });
  for (const name of session.outputNames) {
    const t = result[name];
    const values = t.data as Float32Array;
    const file = `${prefix}.${name}.bin`;
    writeFileSync(join(outDir, file), Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    shapes[file] = [...t.dims];
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Job;
  const raw: unknown = JSON.parse(readFileSync(join(job.bundle, 'manifest.json'), 'utf8'));
  const parsed = BundleManifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`manifest.json does not match the bundle schema: ${parsed.error.message}`);
  const manifest = parsed.data;
  const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, graphOptimizationLevel: 'all' };
  const mapping = await ort.InferenceSession.create(join(job.bundle, manifest.graphs.mapping.file), opts);
  const synthesis = await ort.InferenceSession.create(join(job.bundle, manifest.graphs.synthesis.file), opts);
  for (const c of job.cases) {
    mkdirSync(c.out, { recursive: true });
    const shapes: Record<string, number[]> = {};
    const z = readFloats(c.z, c.batch * manifest.zDim);
    await runGraph(mapping, manifest.graphs.mapping.input, z, [c.batch, manifest.zDim], 'mapping', c.out, shapes);
    const ws = readFloats(c.ws, c.batch * manifest.numWs * manifest.wDim);
    await runGraph(
      synthesis,
      manifest.graphs.synthesis.input,
      ws,
      [c.batch, manifest.numWs, manifest.wDim],
      'synthesis',
      c.out,
      shapes,
    );
    writeFileSync(join(c.out, 'shapes.json'), JSON.stringify(shapes));
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
