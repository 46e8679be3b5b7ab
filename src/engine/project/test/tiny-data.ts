/**
 * Deterministic project content for tests, the fixture builder and the crash child (no vitest here):
 * a small valid model bundle whose graph blobs are placeholder bytes (a project file stores them
 * opaquely and never runs them), seeded latents and simple label maps.
 */
import { latentFromSeed } from '../../../shared/rng';
import type { EmbeddedModel, NewSample } from '../../../shared/project-types';
import { bundleSha256 } from '../../../node/bundle/bundle';

export const TINY = { zDim: 8, wDim: 8, numWs: 4, resolution: 16 };

export function tinyManifest(name = 'tiny test model'): string {
  return JSON.stringify(
    {
      format: 'dgs-model-bundle',
      formatVersion: 1,
      name,
      architecture: 'tiny',
      resolution: TINY.resolution,
      imageChannels: 3,
      zDim: TINY.zDim,
      wDim: TINY.wDim,
      numWs: TINY.numWs,
      wAvg: new Array(TINY.wDim).fill(0),
      truncationCutoff: TINY.numWs,
      defaultPsi: 0.7,
      imageRange: [-1, 1],
      noise: 'const',
      graphs: {
        mapping: { file: 'mapping.onnx', input: 'z', output: 'w' },
        synthesis: { file: 'synthesis.onnx', input: 'ws', imageOutput: 'image' },
      },
      features: [{ name: 'f4', channels: 4, resolution: 4, layer: 'synthesis.b4.conv' }],
    },
    null,
    2,
  );
}

export function tinyModel(name?: string, fill = 1): EmbeddedModel {
  const manifestJson = tinyManifest(name);
  const mapping = new Uint8Array(3000).map((_, i) => (i * 7 + fill) & 255);
  const synthesis = new Uint8Array(70_000).map((_, i) => (i * 13 + fill) & 255);
  return { sha256: bundleSha256(manifestJson, mapping, synthesis), manifestJson, mapping, synthesis };
}

export function latents(seed: number): { z: Float32Array; w: Float32Array } {
  const z = latentFromSeed(seed, TINY.zDim);
  const w = new Float32Array(TINY.wDim).map((_, i) => z[i] * 0.5 + 0.25);
  return { z, w };
}

export function sampleRows(seeds: number[], psi = 0.7): NewSample[] {
  return seeds.map((seed) => ({ seed, psi, ...latents(seed), creator: 'tester' }));
}

/** A 16×16 map with a square of `cls` in the middle. */
export function squareMap(cls: number): Uint8Array {
  const m = new Uint8Array(TINY.resolution * TINY.resolution);
  for (let y = 4; y < 12; y++) for (let x = 4; x < 12; x++) m[y * TINY.resolution + x] = cls;
  return m;
}
