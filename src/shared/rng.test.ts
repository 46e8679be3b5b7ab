import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exactLn, latentFromSeed, SeededRng } from './rng';

const vectors = JSON.parse(fs.readFileSync('docs/rng-vectors.json', 'utf8')) as {
  uint32: Record<string, number[]>;
  latents: Record<string, number[]>;
};

describe('seeded latents (docs/rng.md)', () => {
  it('reproduces the published vectors bit for bit (the Python twin checks the same file)', () => {
    for (const [seed, expected] of Object.entries(vectors.uint32)) {
      const rng = new SeededRng(Number(seed));
      expect(expected.map(() => rng.nextUint32())).toEqual(expected);
    }
    for (const [seed, expected] of Object.entries(vectors.latents)) {
      expect(Array.from(latentFromSeed(Number(seed), expected.length))).toEqual(expected);
    }
  });

  it('draws standard normals', () => {
    const z = latentFromSeed(123, 200_000);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.01);
    const within1 = z.filter((x) => Math.abs(x) < 1).length / z.length;
    expect(within1).toBeCloseTo(0.6827, 2);
  });

  it('computes ln from basic operations to within a few ulps', () => {
    for (const x of [1e-300, 1e-10, 0.1, 0.5, 0.999999, 1, 1.5, 2, 1e10]) {
      expect(Math.abs(exactLn(x) - Math.log(x))).toBeLessThanOrEqual(
        4 * Number.EPSILON * Math.max(1, Math.abs(Math.log(x))),
      );
    }
  });

  it('refuses seeds outside 0 … 2^32 − 1 with a sentence', () => {
    expect(() => new SeededRng(-1)).toThrow(/whole number from 0 to 4294967295/);
    expect(() => new SeededRng(2 ** 32)).toThrow(/whole number/);
    expect(() => new SeededRng(1.5)).toThrow(/whole number/);
  });
});
