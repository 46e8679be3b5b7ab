/**
 * A sample's per-pixel embedding for the wand: the generator's feature maps as the interpreter reads
 * them (each map bilinearly upsampled to the label grid, docs/interpreter.md), reduced to a few dozen
 * dimensions and normalised, so that the wand compares pixels by the cosine of their features.
 *
 * - Maps coarser than 16² are left out: on the demo they are smooth blobs that encode where a pixel is
 *   rather than what it shows (docs/canvas.md, "The feature wand").
 * - Every channel is standardised over its map, and every map weighted 1/√channels, so each map has
 *   the same say whatever its width.
 * - The principal axes come from a lattice of sampled label pixels; the projection is applied to each
 *   map at its own resolution and only the few projected channels are upsampled (W·up(F) = up(W·F)),
 *   so the [pixels × channels] matrix is never built.
 * - Rows are scaled to unit length and stored as int8 (×127): a 1024² sample at 32 dimensions is 32 MiB.
 */
import { bilinearTaps } from '../interpreter/bilinear-taps';
import type { FeatureMapData } from '../generator/generator';
import type { MatMul } from './matmul';
import { principalAxes } from './pca';

export interface EmbeddingOptions {
  /** Dimensions kept. */
  dims: number;
  /** Maps below this resolution are left out (all maps when none reaches it). */
  minResolution: number;
  /** Label pixels sampled for the principal axes (at most every pixel). */
  samplePixels: number;
}

export const DEFAULT_EMBEDDING: EmbeddingOptions = { dims: 32, minResolution: 16, samplePixels: 4096 };

/** Unit-length rows, channel-first: `data[d·pixels + p]` = 127 × component d of pixel p. */
export interface PixelEmbedding {
  dims: number;
  resolution: number;
  data: Int8Array;
}

export const EMBEDDING_SCALE = 127;

interface Standardised {
  map: FeatureMapData;
  /** Per channel: value ↦ (value − offset)·scale. */
  offset: Float32Array;
  scale: Float32Array;
}

function standardise(map: FeatureMapData): Standardised {
  const n = map.resolution * map.resolution;
  const offset = new Float32Array(map.channels);
  const scale = new Float32Array(map.channels);
  const weight = 1 / Math.sqrt(map.channels);
  for (let c = 0; c < map.channels; c++) {
    const v = map.data.subarray(c * n, (c + 1) * n);
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      sum += v[i];
      sq += v[i] * v[i];
    }
    const mean = sum / n;
    const sd = Math.sqrt(Math.max(sq / n - mean * mean, 0));
    offset[c] = mean;
    scale[c] = sd > 1e-12 ? weight / sd : 0;
  }
  return { map, offset, scale };
}

/** Label pixels on a regular lattice, at most `count` of them. */
function latticePixels(R: number, count: number): Int32Array {
  const stride = Math.max(1, Math.ceil(Math.sqrt((R * R) / count)));
  const side = Math.ceil(R / stride);
  const out = new Int32Array(side * side);
  let k = 0;
  for (let y = Math.floor(stride / 2); y < R; y += stride)
    for (let x = Math.floor(stride / 2); x < R; x += stride) out[k++] = y * R + x;
  return out.subarray(0, k);
}

/** Standardised, upsampled features of the given label pixels: [pixels × Σ channels], row-major. */
function gather(maps: Standardised[], R: number, pixels: Int32Array, cols: number): Float32Array {
  const X = new Float32Array(pixels.length * cols);
  let col = 0;
  for (const { map, offset, scale } of maps) {
    const r = map.resolution;
    const taps = bilinearTaps(r, R);
    for (let i = 0; i < pixels.length; i++) {
      const y = Math.floor(pixels[i] / R);
      const x = pixels[i] - y * R;
      const ly = taps.lambda[y];
      const lx = taps.lambda[x];
      const a = taps.i0[y] * r;
      const b = taps.i1[y] * r;
      const x0 = taps.i0[x];
      const x1 = taps.i1[x];
      const w00 = (1 - ly) * (1 - lx);
      const w01 = (1 - ly) * lx;
      const w10 = ly * (1 - lx);
      const w11 = ly * lx;
      const row = i * cols + col;
      const v = map.data;
      for (let c = 0, o = 0; c < map.channels; c++, o += r * r) {
        const f = w00 * v[o + a + x0] + w01 * v[o + a + x1] + w10 * v[o + b + x0] + w11 * v[o + b + x1];
        X[row + c] = (f - offset[c]) * scale[c];
      }
    }
    col += map.channels;
  }
  return X;
}

/** Adds the bilinear upsampling of `src` [dims × r × r] to `dst` [dims × R × R]. */
function addUpsampled(dst: Float32Array, src: Float32Array, dims: number, r: number, R: number): void {
  const P = R * R;
  if (r === R) {
    for (let i = 0; i < dims * P; i++) dst[i] += src[i];
    return;
  }
  const t = bilinearTaps(r, R);
  const rows = new Float32Array(R * r);
  for (let d = 0; d < dims; d++) {
    const s = src.subarray(d * r * r, (d + 1) * r * r);
    for (let y = 0; y < R; y++) {
      const ly = t.lambda[y];
      const a = t.i0[y] * r;
      const b = t.i1[y] * r;
      for (let x = 0; x < r; x++) rows[y * r + x] = (1 - ly) * s[a + x] + ly * s[b + x];
    }
    const out = dst.subarray(d * P, (d + 1) * P);
    for (let y = 0; y < R; y++) {
      const row = y * r;
      const o = y * R;
      for (let x = 0; x < R; x++) {
        const lx = t.lambda[x];
        out[o + x] += (1 - lx) * rows[row + t.i0[x]] + lx * rows[row + t.i1[x]];
      }
    }
  }
}

/** The wand's embedding of one sample's feature maps (manifest order, native resolution) at label resolution R. */
export async function embedFeatures(
  features: readonly FeatureMapData[],
  R: number,
  mm: MatMul,
  options: EmbeddingOptions = DEFAULT_EMBEDDING,
): Promise<PixelEmbedding> {
  const fine = features.filter((f) => f.resolution >= options.minResolution);
  const maps = (fine.length > 0 ? fine : features).map(standardise);
  const cols = maps.reduce((a, m) => a + m.map.channels, 0);
  const sample = latticePixels(R, options.samplePixels);
  const pca = await principalAxes(gather(maps, R, sample, cols), sample.length, cols, options.dims, mm);
  const k = pca.k;
  const P = R * R;
  // e(p) = Σ_c (x_c(p) − mean_c)·axis_c with x_c = (f_c − offset_c)·scale_c: per map a k × C product at
  // its own resolution, and one constant vector.
  const E = new Float32Array(k * P);
  const bias = new Float64Array(k);
  const byResolution = new Map<number, Float32Array>();
  let col = 0;
  for (const { map, offset, scale } of maps) {
    const r = map.resolution;
    const W = new Float32Array(k * map.channels); // [k × C]: rows are output dims
    for (let c = 0; c < map.channels; c++)
      for (let d = 0; d < k; d++) {
        const a = pca.axes[(col + c) * k + d];
        W[d * map.channels + c] = a * scale[c];
        bias[d] -= (offset[c] * scale[c] + pca.mean[col + c]) * a;
      }
    const projected = await mm.ab(W, k, map.channels, map.data, r * r); // [k × r²]
    const acc = byResolution.get(r);
    if (acc) for (let i = 0; i < acc.length; i++) acc[i] += projected[i];
    else byResolution.set(r, projected.slice());
    col += map.channels;
  }
  for (const [r, projected] of byResolution) addUpsampled(E, projected, k, r, R);
  const norms = new Float32Array(P);
  for (let d = 0; d < k; d++) {
    const b = bias[d];
    const row = E.subarray(d * P, (d + 1) * P);
    for (let p = 0; p < P; p++) {
      row[p] += b;
      norms[p] += row[p] * row[p];
    }
  }
  for (let p = 0; p < P; p++) norms[p] = norms[p] > 0 ? EMBEDDING_SCALE / Math.sqrt(norms[p]) : 0;
  const data = new Int8Array(k * P);
  for (let i = 0; i < k * P; i++) data[i] = Math.round(E[i] * norms[i % P]);
  return { dims: k, resolution: R, data };
}
