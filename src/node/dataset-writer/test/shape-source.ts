/**
 * A real, small LabeledSampleSource for tests: each seed deterministically draws a few filled shapes
 * (discs, rectangles, rings with holes) of different classes over a gradient, labels them exactly, and
 * takes its uncertainty score from the seed's RNG. Optional per-batch delay makes a run slow enough to
 * be killed mid-way.
 */
import { SeededRng, latentFromSeed } from '../../../shared/rng';
import { paletteColor } from '../../../shared/palette';
import type { LabeledSample, LabeledSampleSource, SourceInfo } from '../../../shared/dataset-types';

export interface ShapeSourceOptions {
  resolution?: number;
  classes?: number;
  zDim?: number;
  delayMs?: number;
}

export function drawShapes(
  seed: number,
  size: number,
  classes: number,
): { rgb: Uint8Array; labels: Uint8Array; score: number } {
  const rng = new SeededRng(seed);
  const rgb = new Uint8Array(size * size * 3);
  const labels = new Uint8Array(size * size);
  const tint = Math.floor(rng.nextDouble() * 96);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      rgb[i * 3] = (x * 255) / size;
      rgb[i * 3 + 1] = (y * 255) / size;
      rgb[i * 3 + 2] = tint + ((x ^ y) & 31);
    }
  }
  const shapes = 2 + Math.floor(rng.nextDouble() * 4);
  for (let s = 0; s < shapes; s++) {
    const cls = 1 + Math.floor(rng.nextDouble() * (classes - 1));
    const kind = Math.floor(rng.nextDouble() * 3);
    const cx = rng.nextDouble() * size;
    const cy = rng.nextDouble() * size;
    const r = size * (0.08 + rng.nextDouble() * 0.25);
    const col = [
      Math.floor(rng.nextDouble() * 256),
      Math.floor(rng.nextDouble() * 256),
      Math.floor(rng.nextDouble() * 256),
    ];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dx = x + 0.5 - cx;
        const dy = y + 0.5 - cy;
        const d2 = dx * dx + dy * dy;
        const hit =
          kind === 0
            ? d2 < r * r
            : kind === 1
              ? Math.abs(dx) < r && Math.abs(dy) < r * 0.6
              : d2 < r * r && d2 > (r * 0.5) ** 2;
        if (!hit) continue;
        const i = y * size + x;
        labels[i] = cls;
        rgb.set(col, i * 3);
      }
    }
  }
  return { rgb, labels, score: rng.nextDouble() };
}

export function shapeSource(opts: ShapeSourceOptions = {}): LabeledSampleSource & { produced: number[][] } {
  const resolution = opts.resolution ?? 32;
  const classes = opts.classes ?? 5;
  const zDim = opts.zDim ?? 16;
  const info: SourceInfo = {
    modelSha256: 'f'.repeat(64),
    interpreterId: 'test-interpreter-1',
    psi: 0.7,
    resolution,
    zDim,
    classes: Array.from({ length: classes }, (_, i) => ({
      index: i,
      name: i === 0 ? 'background' : `part ${i}`,
      color: paletteColor(i),
    })),
    interpreterQuality: { cvMeanIoU: 0.5 },
  };
  const produced: number[][] = [];
  return {
    info,
    produced,
    async produce(seeds: number[]): Promise<LabeledSample[]> {
      produced.push([...seeds]);
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      return seeds.map((seed) => ({ seed, z: latentFromSeed(seed, zDim), ...drawShapes(seed, resolution, classes) }));
    },
  };
}

/** Settings of the SIGKILL test (run-child.ts and resume-kill.test.ts must agree). */
export const KILL_TEST_OPTIONS = { count: 30, filter: 0.2, formats: ['coco', 'voc', 'yolo'], seed: 7, batch: 3 };
