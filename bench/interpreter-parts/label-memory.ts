/**
 * Labeling one image of a 512²-shaped StyleGAN2 (6,016 dims) with a 10-member ensemble: time and peak
 * RSS of the factorised labeler (members run one per graph at this size). Prints one JSON line.
 *
 *   npx tsx bench/interpreter-parts/label-memory.ts [members=10]
 */
import { initEnsemble } from '../../src/compute/interpreter/ensemble-params';
import { openLabeler } from '../../src/compute/interpreter/label/labeler';
import { stylegan2Shapes512 } from './memory-probe';

async function main(): Promise<void> {
  const members = Number(process.argv[2] ?? 10);
  const shapes = stylegan2Shapes512();
  const dims = shapes.reduce((a, f) => a + f.channels, 0);
  const shape = { members, inputDims: dims, hidden: [128, 32] as [number, number], numClasses: 9 };
  const maps = shapes.map((f, i) => ({
    ...f,
    data: new Float32Array(f.channels * f.resolution * f.resolution).fill(0.01 * i),
  }));
  const rssBefore = Math.round(process.memoryUsage().rss / 1048576);
  const labeler = await openLabeler(initEnsemble(shape, 1), shape, 1e-5, shapes, 512, ['cpu'], 0);
  const t0 = performance.now();
  await labeler.label([maps]);
  const seconds = (performance.now() - t0) / 1000;
  await labeler.dispose();
  console.log(
    JSON.stringify({
      bench: 'interpreter-label-memory-512',
      members,
      featureDims: dims,
      secondsPerImage: seconds,
      rssBeforeMB: rssBefore,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

void main();
