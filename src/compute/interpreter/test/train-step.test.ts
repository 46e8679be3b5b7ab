import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../shared/rng';
import type { EnsembleParams, EnsembleShape, TrainableName } from '../ensemble-params';
import { ALL_TENSORS, TRAINABLE, tensorSize } from '../ensemble-params';
import { buildTrainModel } from '../train/graph';
import { adamMoments, initialTrainState, trainedParams } from '../train/state';

const s: EnsembleShape = { members: 2, inputDims: 6, hidden: [128, 32], numClasses: 3 };
const B = 8;
const LR = 1e-3;
const EPS = 1e-5;

function randomParams(seed: number): EnsembleParams {
  const rng = new SeededRng(seed);
  const p = {} as EnsembleParams;
  for (const name of ALL_TENSORS) {
    const t = new Float32Array(tensorSize(name, s));
    for (let i = 0; i < t.length; i++) {
      if (name.startsWith('rm')) t[i] = 0;
      else if (name.startsWith('rv')) t[i] = 1;
      else if (name.startsWith('g')) t[i] = 1 + 0.2 * rng.nextNormal();
      else t[i] = 0.3 * rng.nextNormal();
    }
    p[name] = t;
  }
  return p;
}

/** Training-mode forward of member m in double precision: mean cross-entropy, and the batch means of the ReLU outputs. */
function referenceLoss(
  p: EnsembleParams,
  m: number,
  x: Float64Array,
  y: number[],
): { loss: number; mean1: number[]; var1: number[] } {
  const [h1, h2] = s.hidden;
  const D = s.inputDims,
    C = s.numClasses;
  const bn = (a: number[][], width: number, g: Float32Array, be: Float32Array) => {
    const mean = new Array<number>(width).fill(0),
      v = new Array<number>(width).fill(0);
    for (const row of a)
      row.forEach((val, o) => {
        mean[o] += val / B;
      });
    for (const row of a)
      row.forEach((val, o) => {
        v[o] += (val - mean[o]) ** 2 / B;
      });
    return {
      out: a.map((row) =>
        row.map((val, o) => (g[m * width + o] * (val - mean[o])) / Math.sqrt(v[o] + EPS) + be[m * width + o]),
      ),
      mean,
      v,
    };
  };
  const a1 = Array.from({ length: B }, (_, b) =>
    Array.from({ length: h1 }, (_, o) => {
      let z = p.b1[m * h1 + o];
      for (let i = 0; i < D; i++) z += x[b * D + i] * p.w1[(m * D + i) * h1 + o];
      return Math.max(z, 0);
    }),
  );
  const n1 = bn(a1, h1, p.g1, p.be1);
  const a2 = n1.out.map((row) =>
    Array.from({ length: h2 }, (_, o) => {
      let z = p.b2[m * h2 + o];
      for (let i = 0; i < h1; i++) z += row[i] * p.w2[(m * h1 + i) * h2 + o];
      return Math.max(z, 0);
    }),
  );
  const n2 = bn(a2, h2, p.g2, p.be2);
  let loss = 0;
  n2.out.forEach((row, b) => {
    const logits = Array.from({ length: C }, (_, o) => {
      let z = p.b3[m * C + o];
      for (let i = 0; i < h2; i++) z += row[i] * p.w3[(m * h2 + i) * C + o];
      return z;
    });
    const mx = Math.max(...logits);
    const lse = mx + Math.log(logits.reduce((a, z) => a + Math.exp(z - mx), 0));
    loss += (lse - logits[y[b]]) / B;
  });
  return { loss, mean1: n1.mean, var1: n1.v };
}

async function runSteps(p: EnsembleParams, xs: Float32Array, ys: BigInt64Array, k: number, es: boolean, patience = 50) {
  const session = await ort.InferenceSession.create(buildTrainModel({ numClasses: s.numClasses, lr: LR, patience }), {
    intraOpNumThreads: 1,
  });
  const feeds: Record<string, ort.Tensor> = {
    X: new ort.Tensor('float32', xs, [k, s.members, B, s.inputDims]),
    Y: new ort.Tensor('int64', ys, [k, s.members, B]),
    es: new ort.Tensor('bool', new Uint8Array(s.members).fill(es ? 1 : 0), [s.members]),
  };
  Object.assign(feeds, initialTrainState(p, s));
  const out = await session.run(feeds);
  await session.release();
  return out;
}

describe('training graph', () => {
  const rng = new SeededRng(5);
  const xs = new Float32Array(s.members * B * s.inputDims).map(() => rng.nextNormal());
  const labels = Array.from({ length: s.members * B }, (_, i) => (i * 7 + 1) % s.numClasses);
  const ys = BigInt64Array.from(labels, (v) => BigInt(v));
  const p0 = randomParams(9);

  it('computes gradients equal to finite differences of a plain double-precision forward', async () => {
    const out = await runSteps(p0, xs, ys, 1, false);
    const c1 = Math.fround(1 - 0.9);
    const pick = new SeededRng(1);
    for (let m = 0; m < s.members; m++) {
      const x = Float64Array.from(xs.subarray(m * B * s.inputDims, (m + 1) * B * s.inputDims));
      const y = labels.slice(m * B, (m + 1) * B);
      const ref = referenceLoss(p0, m, x, y);
      const moments = adamMoments(out, s);
      expect((out.losses.data as Float32Array)[m]).toBeCloseTo(ref.loss, 5);
      for (const name of TRAINABLE as readonly TrainableName[]) {
        const per = tensorSize(name, s) / s.members;
        const grad = moments[name].m;
        for (let t = 0; t < 12; t++) {
          const i = m * per + Math.floor(pick.nextDouble() * per);
          const h = 1e-4;
          const orig = p0[name][i];
          p0[name][i] = orig + h;
          const up = referenceLoss(p0, m, x, y).loss;
          p0[name][i] = orig - h;
          const down = referenceLoss(p0, m, x, y).loss;
          p0[name][i] = orig;
          const fd = (up - down) / (2 * h);
          const g = grad[i] / c1;
          expect(Math.abs(g - fd)).toBeLessThan(2e-4 + 2e-3 * Math.abs(fd));
        }
      }
      // BatchNorm running statistics: 0.9·0 + 0.1·mean and 0.9·1 + 0.1·unbiased variance.
      const rm1 = out.rm1_out.data as Float32Array;
      const rv1 = out.rv1_out.data as Float32Array;
      for (let o = 0; o < 5; o++) {
        expect(rm1[m * 128 + o]).toBeCloseTo(0.1 * ref.mean1[o], 5);
        expect(rv1[m * 128 + o]).toBeCloseTo(0.9 + (0.1 * ref.var1[o] * B) / (B - 1), 5);
      }
    }
  });

  it('applies the bias-corrected Adam update of torch.optim.Adam', async () => {
    const out = await runSteps(p0, xs, ys, 1, false);
    const moments = adamMoments(out, s);
    const trained = trainedParams(out, s);
    for (const name of TRAINABLE) {
      const m1 = moments[name].m;
      const v1 = moments[name].v;
      const w1 = trained[name];
      for (let i = 0; i < m1.length; i += 7) {
        const expected = p0[name][i] - ((LR / (1 - 0.9)) * m1[i]) / (Math.sqrt(v1[i]) / Math.sqrt(1 - 0.999) + 1e-8);
        expect(Math.abs(w1[i] - expected)).toBeLessThan(1e-6);
      }
    }
    expect(Array.from(out.steps_out.data as Float32Array)).toEqual([1, 1]);
  });

  it('stops a member after more than `patience` steps without a new best batch loss, exactly per step', async () => {
    const K = 60;
    const patience = 3;
    const r = new SeededRng(8);
    const xk = new Float32Array(K * s.members * B * s.inputDims).map(() => r.nextNormal());
    const yk = BigInt64Array.from({ length: K * s.members * B }, () =>
      BigInt(Math.floor(r.nextDouble() * s.numClasses)),
    );
    const out = await runSteps(randomParams(4), xk, yk, K, true, patience);
    const losses = out.losses.data as Float32Array;
    const steps = out.steps_out.data as Float32Array;
    for (let m = 0; m < s.members; m++) {
      // The official rule replayed on the member's own losses.
      let best = 1e7,
        count = 0,
        stopAt = K;
      for (let k = 0; k < K; k++) {
        const l = losses[k * s.members + m];
        if (l < best) {
          best = l;
          count = 0;
        } else count++;
        if (count > patience) {
          stopAt = k;
          break;
        }
      }
      expect(stopAt).toBeLessThan(K);
      expect(steps[m]).toBe(stopAt + 1);
      for (let k = stopAt + 1; k < K; k++) expect(Number.isNaN(losses[k * s.members + m])).toBe(true);
      expect((out.active_out.data as Uint8Array)[m]).toBe(0);
    }
  });
});
