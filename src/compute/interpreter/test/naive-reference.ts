/**
 * The naive DatasetGAN path, written plainly for tests and benchmarks only: upsample every map to the
 * label resolution (PyTorch bilinear, align_corners=False), concatenate per pixel, run each member's
 * MLP in double precision with BatchNorm in eval mode (running statistics, not folded).
 */
import type { FeatureMaps } from '../../../shared/interpreter-types';
import type { EnsembleParams, EnsembleShape } from '../ensemble-params';

/** Upsamples one [C, r, r] map to [C, L, L] exactly as torch.nn.functional.interpolate(bilinear, align_corners=False). */
export function upsampleBilinear(data: Float32Array, c: number, r: number, L: number): Float32Array {
  const out = new Float32Array(c * L * L);
  const scale = r / L;
  const src = (o: number) => {
    const s = Math.max(scale * (o + 0.5) - 0.5, 0);
    const i0 = Math.floor(s);
    const i1 = i0 < r - 1 ? i0 + 1 : i0;
    return [i0, i1, s - i0] as const;
  };
  for (let y = 0; y < L; y++) {
    const [y0, y1, ly] = src(y);
    for (let x = 0; x < L; x++) {
      const [x0, x1, lx] = src(x);
      for (let ch = 0; ch < c; ch++) {
        const b = ch * r * r;
        const top = (1 - lx) * data[b + y0 * r + x0] + lx * data[b + y0 * r + x1];
        const bottom = (1 - lx) * data[b + y1 * r + x0] + lx * data[b + y1 * r + x1];
        out[ch * L * L + y * L + x] = (1 - ly) * top + ly * bottom;
      }
    }
  }
  return out;
}

/** The full [L², D] pixel-feature matrix (what the official code materialises). */
export function naivePixelFeatures(maps: FeatureMaps, L: number): { x: Float32Array; dims: number } {
  const dims = maps.reduce((a, m) => a + m.channels, 0);
  const P = L * L;
  const x = new Float32Array(P * dims);
  let off = 0;
  for (const m of maps) {
    const up = upsampleBilinear(m.data, m.channels, m.resolution, L);
    for (let ch = 0; ch < m.channels; ch++) for (let p = 0; p < P; p++) x[p * dims + off + ch] = up[ch * P + p];
    off += m.channels;
  }
  return { x, dims };
}

/** Softmax probabilities [N][P][C] of every member on pixel features x [P, D] (inference mode). */
export function naiveEnsembleProbs(
  x: Float32Array,
  P: number,
  p: EnsembleParams,
  s: EnsembleShape,
  eps: number,
): Float64Array[][] {
  const [h1, h2] = s.hidden;
  const D = s.inputDims;
  const C = s.numClasses;
  const res: Float64Array[][] = [];
  for (let m = 0; m < s.members; m++) {
    const rows: Float64Array[] = [];
    for (let px = 0; px < P; px++) {
      const a1 = new Float64Array(h1);
      for (let o = 0; o < h1; o++) {
        let z = p.b1[m * h1 + o];
        for (let i = 0; i < D; i++) z += x[px * D + i] * p.w1[(m * D + i) * h1 + o];
        const a = Math.max(z, 0);
        a1[o] = (p.g1[m * h1 + o] * (a - p.rm1[m * h1 + o])) / Math.sqrt(p.rv1[m * h1 + o] + eps) + p.be1[m * h1 + o];
      }
      const a2 = new Float64Array(h2);
      for (let o = 0; o < h2; o++) {
        let z = p.b2[m * h2 + o];
        for (let i = 0; i < h1; i++) z += a1[i] * p.w2[(m * h1 + i) * h2 + o];
        const a = Math.max(z, 0);
        a2[o] = (p.g2[m * h2 + o] * (a - p.rm2[m * h2 + o])) / Math.sqrt(p.rv2[m * h2 + o] + eps) + p.be2[m * h2 + o];
      }
      const logits = new Float64Array(C);
      for (let o = 0; o < C; o++) {
        let z = p.b3[m * C + o];
        for (let i = 0; i < h2; i++) z += a2[i] * p.w3[(m * h2 + i) * C + o];
        logits[o] = z;
      }
      const mx = Math.max(...logits);
      let sum = 0;
      for (let o = 0; o < C; o++) {
        logits[o] = Math.exp(logits[o] - mx);
        sum += logits[o];
      }
      for (let o = 0; o < C; o++) logits[o] /= sum;
      rows.push(logits);
    }
    res.push(rows);
  }
  return res;
}

/** Majority vote of the members' argmax; ties go to the tied class with the highest mean probability. */
export function voteLabel(probs: Float64Array[]): number {
  const C = probs[0].length;
  const votes = new Array<number>(C).fill(0);
  const mean = new Array<number>(C).fill(0);
  for (const p of probs) {
    let best = 0;
    for (let c = 1; c < C; c++) if (p[c] > p[best]) best = c;
    votes[best]++;
    for (let c = 0; c < C; c++) mean[c] += p[c] / probs.length;
  }
  const top = Math.max(...votes);
  let pick = -1;
  for (let c = 0; c < C; c++) if (votes[c] === top && (pick < 0 || mean[c] > mean[pick])) pick = c;
  return pick;
}

/** Jensen–Shannon uncertainty: H(mean p) − mean H(p), natural log, 0·log 0 = 0. */
export function jsUncertainty(probs: ArrayLike<number>[]): number {
  const C = probs[0].length;
  const H = (q: ArrayLike<number>) => {
    let h = 0;
    for (let c = 0; c < C; c++) if (q[c] > 0) h -= q[c] * Math.log(q[c]);
    return h;
  };
  const mean = new Array<number>(C).fill(0);
  for (const p of probs) for (let c = 0; c < C; c++) mean[c] += p[c] / probs.length;
  return H(mean) - probs.reduce((a, p) => a + H(p), 0) / probs.length;
}
