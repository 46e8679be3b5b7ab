/**
 * Synthetic feature maps for tests and benchmarks: random maps with a generator's shapes, and a
 * separable problem whose labels are a function of the low-resolution features.
 */
import { SeededRng } from '../../../shared/rng';
import type { FeatureMaps, FeatureShape } from '../../../shared/interpreter-types';
import { ALL_TENSORS, tensorSize, type EnsembleParams, type EnsembleShape } from '../ensemble-params';
import type { LabelerSizing } from '../label/plan';

/** Shapes of a small demo generator at 64² (~700 dims). */
export function demoShapes(): FeatureShape[] {
  return [
    { name: 'const', channels: 128, resolution: 4 },
    { name: 'b4', channels: 128, resolution: 4 },
    { name: 'b8a', channels: 96, resolution: 8 },
    { name: 'b8b', channels: 96, resolution: 8 },
    { name: 'b16a', channels: 64, resolution: 16 },
    { name: 'b16b', channels: 64, resolution: 16 },
    { name: 'b32a', channels: 48, resolution: 32 },
    { name: 'b32b', channels: 48, resolution: 32 },
    { name: 'b64a', channels: 32, resolution: 64 },
    { name: 'b64b', channels: 32, resolution: 64 },
  ];
}

/**
 * Maps around a 16² label grid for the labelers' equality tests: up- and downsampling, odd ratios, maps
 * sharing a resolution, maps at the grid; > 128 channels at the grid (two 80-channel maps) and in a
 * projected group (two 150-channel maps at 4²).
 */
export const MIXED_SHAPES: FeatureShape[] = [
  { name: 'a4', channels: 150, resolution: 4 },
  { name: 'b4', channels: 150, resolution: 4 },
  { name: 'c6', channels: 5, resolution: 6 },
  { name: 'd8', channels: 24, resolution: 8 },
  { name: 'e16', channels: 80, resolution: 16 },
  { name: 'f16', channels: 80, resolution: 16 },
  { name: 'g32', channels: 3, resolution: 32 },
];

/** Three small maps at a 16² label resolution with 4 classes: the trainer tests' problem size. */
export const SMALL_PROBLEM = {
  shapes: [
    { name: 'lo', channels: 8, resolution: 4 },
    { name: 'mid', channels: 6, resolution: 8 },
    { name: 'hi', channels: 6, resolution: 16 },
  ] as FeatureShape[],
  L: 16,
  C: 4,
};

export function randomMaps(shapes: FeatureShape[], seed: number): FeatureMaps {
  const rng = new SeededRng(seed);
  return shapes.map((s) => {
    const data = new Float32Array(s.channels * s.resolution * s.resolution);
    for (let i = 0; i < data.length; i++) data[i] = rng.nextNormal();
    return { name: s.name, channels: s.channels, resolution: s.resolution, data };
  });
}

/**
 * A learnable problem: labels are blobs of `numClasses` classes drawn per image, and one 16-res map
 * carries a noisy one-hot code of the class of each pixel (other maps are noise).
 */
export function separableSample(
  shapes: FeatureShape[],
  L: number,
  numClasses: number,
  seed: number,
): { features: FeatureMaps; labels: Uint8Array } {
  const rng = new SeededRng(seed);
  const features = randomMaps(shapes, seed + 1000);
  const labels = new Uint8Array(L * L);
  const centres = Array.from({ length: numClasses }, () => [rng.nextDouble() * L, rng.nextDouble() * L]);
  for (let y = 0; y < L; y++)
    for (let x = 0; x < L; x++) {
      let best = 0,
        bd = Infinity;
      centres.forEach(([cy, cx], c) => {
        const d = (y - cy) ** 2 + (x - cx) ** 2;
        if (d < bd) {
          bd = d;
          best = c;
        }
      });
      labels[y * L + x] = best;
    }
  // Regions the <30-pixel cleanup would erase are background from the start, so the code stays true.
  const counts = new Array<number>(numClasses).fill(0);
  for (const v of labels) counts[v]++;
  for (let p = 0; p < labels.length; p++) if (counts[labels[p]] < 30) labels[p] = 0;
  // The code map at native resolution L: channel c is 2 where the class is c (plus noise).
  const code = features.find((f) => f.resolution === L);
  if (code) {
    const P = L * L;
    for (let p = 0; p < P; p++)
      for (let c = 0; c < Math.min(numClasses, code.channels); c++)
        code.data[c * P + p] = (labels[p] === c ? 2 : 0) + 0.3 * code.data[c * P + p];
  }
  return { features, labels };
}

/**
 * Random ensemble weights large enough that members disagree (votes split, ties happen with an even
 * number of members), and BatchNorm statistics away from identity. `w1Scale` sets how strongly the
 * features move the first layer.
 */
export function randomEnsembleParams(s: EnsembleShape, seed: number, w1Scale = 0.15): EnsembleParams {
  const rng = new SeededRng(seed);
  const p = {} as EnsembleParams;
  for (const name of ALL_TENSORS) {
    const t = new Float32Array(tensorSize(name, s));
    for (let i = 0; i < t.length; i++) {
      const r = rng.nextNormal();
      if (name.startsWith('rv')) t[i] = 0.5 + Math.abs(r);
      else if (name.startsWith('g')) t[i] = 1 + 0.3 * r;
      else if (name === 'w1') t[i] = r * w1Scale;
      else t[i] = r * 0.3;
    }
    p[name] = t;
  }
  return p;
}

/**
 * The labelers' plan sizes the equality tests run through on a 16² grid: whole projections in one tile,
 * projections in bands with one-row tiles, and with four-row tiles (a row of `members` members' 128
 * hidden units, in float32).
 */
export function labelerSizings(members: number): [string, LabelerSizing][] {
  return [
    ['whole projections, one tile', { tileBytes: 1 << 30, windowBytes: 1 << 30 }],
    ['projections in bands, one-row tiles', { tileBytes: 1, windowBytes: 1 }],
    ['projections in bands, four-row tiles', { tileBytes: 4 * 16 * members * 128 * 4, windowBytes: 1 }],
  ];
}
