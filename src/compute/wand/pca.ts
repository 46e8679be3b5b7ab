/**
 * Principal axes of a sample of pixel features by randomized subspace iteration (Halko, Martinsson &
 * Tropp 2011): a seeded Gaussian sketch of the column space, two power iterations, then the exact
 * eigenvectors of the small projected Gram matrix. Only the products with the large matrix go to
 * onnxruntime; the rest works on [samples × (k + 8)] and [(k + 8)²] matrices.
 */
import { SeededRng } from '../../shared/rng';
import type { MatMul } from './matmul';

const OVERSAMPLE = 8;
const POWER_ITERATIONS = 2;

/** Orthonormalises the columns of M [rows × cols] in place (modified Gram–Schmidt, in double precision sums). */
function orthonormalize(M: Float32Array, rows: number, cols: number): void {
  for (let j = 0; j < cols; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += M[i * cols + j] * M[i * cols + p];
      for (let i = 0; i < rows; i++) M[i * cols + j] -= dot * M[i * cols + p];
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += M[i * cols + j] ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < rows; i++) M[i * cols + j] *= inv;
  }
}

/** Eigenvalues and eigenvectors (columns) of a small symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p] ** 2;
      for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    }
    if (off <= 1e-24 * diag) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => a[i * n + i]), vectors: v };
}

export interface PrincipalAxes {
  /** [columns × k], column j the j-th axis (unit length), largest variance first. */
  axes: Float32Array;
  /** The column means the data were centred by. */
  mean: Float32Array;
  k: number;
}

/** The top-k principal axes of X [rows × cols] (X is centred in place). */
export async function principalAxes(
  X: Float32Array,
  rows: number,
  cols: number,
  k: number,
  mm: MatMul,
  seed = 1,
): Promise<PrincipalAxes> {
  const mean = new Float32Array(cols);
  for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) mean[c] += X[i * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) X[i * cols + c] -= mean[c];
  const m = Math.min(k + OVERSAMPLE, rows, cols);
  const rng = new SeededRng(seed);
  const omega = Float32Array.from({ length: cols * m }, () => rng.nextNormal());
  let Y = await mm.ab(X, rows, cols, omega, m); // [rows × m]
  orthonormalize(Y, rows, m);
  let Z = await mm.atb(X, rows, cols, Y, m); // Xᵀ Y [cols × m]
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    orthonormalize(Z, cols, m);
    Y = await mm.ab(X, rows, cols, Z, m);
    orthonormalize(Y, rows, m);
    Z = await mm.atb(X, rows, cols, Y, m);
  }
  // X ≈ Y·Zᵀ with Y orthonormal, so XᵀX ≈ Z·Zᵀ: its eigenvectors are Z·U/σ for the eigenpairs of ZᵀZ = U σ² Uᵀ.
  const G = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += Z[c * m + i] * Z[c * m + j];
      G[i * m + j] = G[j * m + i] = s;
    }
  const { values, vectors } = symmetricEigen(G, m);
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  const kk = Math.min(k, m);
  const axes = new Float32Array(cols * kk);
  for (let r = 0; r < kk; r++) {
    const j = order[r];
    const inv = values[j] > 0 ? 1 / Math.sqrt(values[j]) : 0;
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let t = 0; t < m; t++) s += Z[c * m + t] * vectors[t * m + j];
      axes[c * kk + r] = s * inv;
    }
  }
  return { axes, mean, k: kk };
}
