/**
 * The wand's embedding: randomized PCA finds the axes of data with known structure, and projecting each
 * map at its own resolution then upsampling (what embedFeatures does) gives the same embedding as
 * upsampling every channel first and projecting at every pixel (the naive way), within int8 rounding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRng } from '../../../shared/rng';
import type { FeatureMapData } from '../../generator/generator';
import { bilinearTaps } from '../../interpreter/bilinear-taps';
import { embedFeatures, EMBEDDING_SCALE } from '../feature-embedding';
import { MatMul } from '../matmul';
import { principalAxes, symmetricEigen } from '../pca';

let mm: MatMul;
beforeAll(async () => {
  mm = await MatMul.open();
});
afterAll(async () => {
  await mm.dispose();
});

describe('principal axes', () => {
  it('diagonalises a small symmetric matrix', () => {
    const A = Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]);
    const { values, vectors } = symmetricEigen(A, 3);
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let k = 0; k < 3; k++) av += A[i * 3 + k] * vectors[k * 3 + j];
        expect(av).toBeCloseTo(values[j] * vectors[i * 3 + j], 9);
      }
    }
  });

  it('finds the two directions a sample of points spreads along, largest first', async () => {
    const rng = new SeededRng(3);
    const cols = 40;
    const rows = 600;
    const u = Float32Array.from({ length: cols }, (_, c) => (c === 3 ? 1 : 0));
    const v = Float32Array.from({ length: cols }, (_, c) => (c === 7 || c === 8 ? Math.SQRT1_2 : 0));
    const X = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const a = 5 * rng.nextNormal();
      const b = 2 * rng.nextNormal();
      for (let c = 0; c < cols; c++) X[i * cols + c] = 10 + a * u[c] + b * v[c] + 0.01 * rng.nextNormal();
    }
    const { axes, k } = await principalAxes(X, rows, cols, 2, mm);
    const along = (axis: number, w: Float32Array) => Math.abs(w.reduce((s, x, c) => s + x * axes[c * k + axis], 0));
    expect(along(0, u)).toBeGreaterThan(0.999);
    expect(along(1, v)).toBeGreaterThan(0.999);
  });
});

function randomMap(name: string, channels: number, resolution: number, rng: SeededRng): FeatureMapData {
  const data = Float32Array.from({ length: channels * resolution * resolution }, () => rng.nextNormal() * 3 + 1);
  return { name, channels, resolution, data };
}

describe('the embedding', () => {
  it('equals projecting the upsampled, standardised features at every pixel', async () => {
    const rng = new SeededRng(11);
    const R = 16;
    const maps = [randomMap('a', 6, 4, rng), randomMap('b', 5, 8, rng), randomMap('c', 4, 16, rng)];
    const dims = 5;
    const got = await embedFeatures(maps, R, mm, { dims, minResolution: 1, samplePixels: R * R });
    // Naive: every channel upsampled to R², standardised over its own map and weighted 1/√channels.
    const P = R * R;
    const cols = 15;
    const X = new Float32Array(P * cols);
    let col = 0;
    for (const m of maps) {
      const t = bilinearTaps(m.resolution, R);
      const r = m.resolution;
      for (let c = 0; c < m.channels; c++) {
        const v = m.data.subarray(c * r * r, (c + 1) * r * r);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
        for (let y = 0; y < R; y++)
          for (let x = 0; x < R; x++) {
            const [ly, lx] = [t.lambda[y], t.lambda[x]];
            const f =
              (1 - ly) * ((1 - lx) * v[t.i0[y] * r + t.i0[x]] + lx * v[t.i0[y] * r + t.i1[x]]) +
              ly * ((1 - lx) * v[t.i1[y] * r + t.i0[x]] + lx * v[t.i1[y] * r + t.i1[x]]);
            X[(y * R + x) * cols + col + c] = (f - mean) / sd / Math.sqrt(m.channels);
          }
      }
      col += m.channels;
    }
    const { axes, k } = await principalAxes(X.slice(), P, cols, dims, mm);
    const mean = new Float32Array(cols);
    for (let p = 0; p < P; p++) for (let c = 0; c < cols; c++) mean[c] += X[p * cols + c] / P;
    let worst = 0;
    for (let p = 0; p < P; p++) {
      const e = Array.from({ length: k }, (_, d) => {
        let s = 0;
        for (let c = 0; c < cols; c++) s += (X[p * cols + c] - mean[c]) * axes[c * k + d];
        return s;
      });
      const norm = Math.hypot(...e);
      for (let d = 0; d < k; d++)
        worst = Math.max(worst, Math.abs(got.data[d * P + p] / EMBEDDING_SCALE - e[d] / norm));
    }
    expect(got.dims).toBe(dims);
    expect(worst).toBeLessThan(0.01); // int8 rounding is 0.004
  });

  it('leaves out maps coarser than the minimum resolution', async () => {
    const rng = new SeededRng(5);
    const fine = randomMap('fine', 4, 8, rng);
    const coarse = randomMap('coarse', 4, 2, rng);
    const opts = { dims: 3, minResolution: 8, samplePixels: 64 };
    const both = await embedFeatures([coarse, fine], 8, mm, opts);
    const alone = await embedFeatures([fine], 8, mm, opts);
    expect(Array.from(both.data)).toEqual(Array.from(alone.data));
  });
});
