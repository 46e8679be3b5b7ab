/**
 * Runs a model bundle in onnxruntime-node (the runtime the app uses) for seeded samples and dumps the
 * outputs, so tools/demo/check_bundle.py can compare them with PyTorch and draw docs/demo-samples.png.
 *
 *   npx tsx tools/demo/run_bundle.ts <bundle-dir> <out-dir> [firstSeed=0] [count=16] [psi=1] [threads=2]
 *
 * Writes <out-dir>/index.json ({seeds, psi, outputs: {name: {file, dims}}, timing}) and one raw
 * little-endian float32 file per output (z, w, image, every feature map). Latents come from
 * src/shared/rng.ts, truncation follows docs/model-bundle.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { latentFromSeed } from '../../src/shared/rng';

interface Manifest {
  zDim: number;
  wDim: number;
  numWs: number;
  wAvg: number[];
  truncationCutoff: number;
  graphs: {
    mapping: { file: string; input: string; output: string };
    synthesis: { file: string; input: string; imageOutput: string };
  };
  features: { name: string }[];
}

function writeF32(path: string, data: Float32Array): void {
  writeFileSync(path, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

async function main(): Promise<void> {
  const [bundleDir, outDir, first = '0', count = '16', psiArg = '1', threadsArg = '2'] = process.argv.slice(2);
  if (!bundleDir || !outDir) throw new Error('usage: run_bundle.ts <bundle-dir> <out-dir> [firstSeed] [count] [psi]');
  const m = JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8')) as Manifest;
  const n = Number(count);
  const psi = Number(psiArg);
  const seeds = Array.from({ length: n }, (_, i) => Number(first) + i);
  const threads = Number(threadsArg);
  const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1 };
  const mapping = await ort.InferenceSession.create(join(bundleDir, m.graphs.mapping.file), opts);
  const synthesis = await ort.InferenceSession.create(join(bundleDir, m.graphs.synthesis.file), opts);

  const z = new Float32Array(n * m.zDim);
  seeds.forEach((s, i) => z.set(latentFromSeed(s, m.zDim), i * m.zDim));
  const mapOut = await mapping.run({ [m.graphs.mapping.input]: new ort.Tensor('float32', z, [n, m.zDim]) });
  const w = mapOut[m.graphs.mapping.output].data as Float32Array;

  const ws = new Float32Array(n * m.numWs * m.wDim);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < m.numWs; i++) {
      for (let d = 0; d < m.wDim; d++) {
        const v = w[b * m.wDim + d];
        const a = m.wAvg[d];
        ws[(b * m.numWs + i) * m.wDim + d] = i < m.truncationCutoff ? a + psi * (v - a) : v;
      }
    }
  }
  const feeds = { [m.graphs.synthesis.input]: new ort.Tensor('float32', ws, [n, m.numWs, m.wDim]) };
  const synOut = await synthesis.run(feeds);
  // Timing of the synthesis graph at this batch size (warm), the cost that matters for the demo.
  const reps = 10;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < reps; r++) await synthesis.run(feeds);
  const synthesisMs = Number(process.hrtime.bigint() - t0) / 1e6 / reps;

  mkdirSync(outDir, { recursive: true });
  const outputs: Record<string, { file: string; dims: number[] }> = {};
  const dump = (name: string, data: Float32Array, dims: number[]): void => {
    writeF32(join(outDir, `${name}.f32`), data);
    outputs[name] = { file: `${name}.f32`, dims };
  };
  dump('z', z, [n, m.zDim]);
  dump('w', w, [n, m.wDim]);
  for (const name of [m.graphs.synthesis.imageOutput, ...m.features.map((f) => f.name)]) {
    const t = synOut[name];
    dump(name, t.data as Float32Array, t.dims.map(Number));
  }
  const timing = { batch: n, synthesisMs, threads, ortVersion: ort.env.versions?.node ?? 'unknown' };
  writeFileSync(join(outDir, 'index.json'), JSON.stringify({ seeds, psi, outputs, timing }, null, 1));
  console.log(JSON.stringify({ seeds: seeds.length, psi, timing }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
