/**
 * Labeling cost: the factorised graph (project each map at native resolution, upsample the N·h1
 * result) against the naive DatasetGAN path measured in the same run (upsample every map, concatenate
 * [pixels × dims], then the same ensemble on every pixel). Prints one JSON line per generator shape.
 *
 *   npx tsx bench/interpreter-parts/label-speed.ts [images=4]
 */
import * as ort from 'onnxruntime-node';
import type { FeatureShape } from '../../src/shared/interpreter-types';
import { initEnsemble } from '../../src/compute/interpreter/ensemble-params';
import { buildPixelModel, foldEnsemble } from '../../src/compute/interpreter/label/graph';
import { openLabeler } from '../../src/compute/interpreter/label/labeler';
import { naivePixelFeatures } from '../../src/compute/interpreter/test/naive-reference';
import { demoShapes, randomMaps } from '../../src/compute/interpreter/test/synthetic';

function stylegan2Shapes(resolution: number): FeatureShape[] {
  const out: FeatureShape[] = [
    { name: 'const', channels: 512, resolution: 4 },
    { name: 'b4', channels: 512, resolution: 4 },
  ];
  for (let r = 8; r <= resolution; r *= 2) {
    const c = Math.min(512, (512 * 64) / r);
    out.push({ name: `b${r}a`, channels: c, resolution: r }, { name: `b${r}b`, channels: c, resolution: r });
  }
  return out;
}

async function measure(label: string, shapes: FeatureShape[], L: number, images: number): Promise<void> {
  const dims = shapes.reduce((a, f) => a + f.channels, 0);
  const shape = { members: 10, inputDims: dims, hidden: [128, 32] as [number, number], numClasses: 9 };
  const params = initEnsemble(shape, 1);
  const batch = Array.from({ length: images }, (_, i) => randomMaps(shapes, i + 1));
  const labeler = await openLabeler(params, shape, 1e-5, shapes, L, ['cpu'], 0);
  await labeler.label(batch.slice(0, 1)); // warm-up
  let t = performance.now();
  await labeler.label(batch);
  const factorisedMs = (performance.now() - t) / images;
  await labeler.dispose();

  const naive = await ort.InferenceSession.create(buildPixelModel(foldEnsemble(params, shape, 1e-5), shape));
  const P = L * L;
  t = performance.now();
  for (const maps of batch) {
    const { x } = naivePixelFeatures(maps, L);
    // In blocks of pixels, as the official code would run out of memory otherwise at large sizes.
    const block = 16384;
    for (let s = 0; s < P; s += block) {
      const n = Math.min(block, P - s);
      await naive.run({ x: new ort.Tensor('float32', x.subarray(s * dims, (s + n) * dims), [n, dims]) });
    }
  }
  const naiveMs = (performance.now() - t) / images;
  await naive.release();
  console.log(
    JSON.stringify({
      bench: 'interpreter-label-speed',
      generator: label,
      labelResolution: L,
      featureDims: dims,
      members: 10,
      factorisedMsPerImage: factorisedMs,
      naiveMsPerImage: naiveMs,
      speedup: naiveMs / factorisedMs,
    }),
  );
}

async function main(): Promise<void> {
  const images = Number(process.argv[2] ?? 4);
  await measure('demo-64', demoShapes(), 64, images);
  await measure('stylegan2-128', stylegan2Shapes(128), 128, images);
}

void main();
