import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FeatureShape } from '../../../shared/interpreter-types';
import { float16ToFloat32, float32ToFloat16 } from '../train/float16';
import { PixelFeatureStore } from '../train/pixel-features';
import { bilinearTaps } from '../bilinear-taps';
import { naivePixelFeatures } from './naive-reference';
import { randomMaps } from './synthetic';

const shapes: FeatureShape[] = [
  { name: 'a', channels: 5, resolution: 4 },
  { name: 'b', channels: 3, resolution: 7 },
  { name: 'c', channels: 4, resolution: 16 },
  { name: 'd', channels: 2, resolution: 32 },
  { name: 'e', channels: 8, resolution: 8 }, // the SIMD transpose's shapes: float32 (c, e) and float16 (e)
];
const L = 16;

describe('pixel features gathered at native resolution', () => {
  const images = [randomMaps(shapes, 1), randomMaps(shapes, 2)];
  const naive = images.map((m) => naivePixelFeatures(m, L));
  const D = naive[0].dims;

  it('equals upsample-everything-then-concatenate (float32 store)', async () => {
    const store = new PixelFeatureStore(shapes, L, { precision: 'float32' });
    for (const m of images) await store.addImage(m);
    const out = new Float32Array(D);
    let maxDiff = 0;
    for (let img = 0; img < 2; img++) {
      for (let p = 0; p < L * L; p++) {
        store.gather(img, p, out, 0);
        for (let i = 0; i < D; i++) maxDiff = Math.max(maxDiff, Math.abs(out[i] - naive[img].x[p * D + i]));
      }
    }
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('stays within half-precision rounding with the float16 store', async () => {
    const store = new PixelFeatureStore(shapes, L, { precision: 'float16' });
    for (const m of images) await store.addImage(m);
    const out = new Float32Array(D);
    for (let p = 0; p < L * L; p += 3) {
      store.gather(1, p, out, 0);
      for (let i = 0; i < D; i++) {
        const ref = naive[1].x[p * D + i];
        expect(Math.abs(out[i] - ref)).toBeLessThan(2e-3 * Math.max(1, Math.abs(ref)));
      }
    }
  });

  it('writes straight into its batch buffer the same values as into a plain array', async () => {
    const store = new PixelFeatureStore(shapes, L, { precision: 'float16' });
    for (const m of images) await store.addImage(m);
    const batch = store.batchBuffer(3 * D);
    const plain = new Float32Array(D);
    for (let p = 0; p < L * L; p += 7) {
      store.gather(p % 2, p, batch, D);
      store.gather(p % 2, p, plain, 0);
      expect(batch.subarray(D, 2 * D)).toEqual(plain);
    }
    expect(batch.subarray(0, D).every((v) => v === 0)).toBe(true);
    expect(batch.subarray(2 * D).every((v) => v === 0)).toBe(true);
  });

  it('reads spilled maps from its temporary file with the same values, and removes the file', async () => {
    const inMemory = new PixelFeatureStore(shapes, L, { precision: 'float16' });
    // A budget that keeps only the smallest maps in memory.
    const spilled = new PixelFeatureStore(shapes, L, { precision: 'float16', memoryBytes: 1000, expectedImages: 2 });
    for (const m of images) {
      await inMemory.addImage(m);
      await spilled.addImage(m);
    }
    await spilled.flush();
    expect(spilled.spilledMaps().length).toBeGreaterThan(0);
    const file = spilled.workerLayout(0, 1).spillPath as string;
    expect(fs.existsSync(file)).toBe(true);
    expect(spilled.residentBytes()).toBeLessThan(inMemory.residentBytes());
    const a = new Float32Array(D),
      b = new Float32Array(D);
    for (let img = 0; img < 2; img++) {
      for (let p = 0; p < L * L; p++) {
        inMemory.gather(img, p, a, 0);
        spilled.gather(img, p, b, 0);
        expect(b).toEqual(a);
      }
    }
    await spilled.dispose();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('gives the maps back as [C, r, r] (from memory and from the spill file)', async () => {
    const spilled = new PixelFeatureStore(shapes, L, { precision: 'float32', memoryBytes: 1000, expectedImages: 2 });
    for (const m of images) await spilled.addImage(m);
    await spilled.flush();
    const back = spilled.readMaps(1);
    back.forEach((m, i) => expect(m.data).toEqual(images[1][i].data));
    await spilled.dispose();
    const half = new PixelFeatureStore(shapes, L, { precision: 'float16' });
    await half.addImage(images[0]);
    half
      .readMaps(0)
      .forEach((m, i) =>
        m.data.forEach((v, j) =>
          expect(Math.abs(v - images[0][i].data[j])).toBeLessThan(2e-3 * Math.max(1, Math.abs(v))),
        ),
      );
  });

  it('follows PyTorch bilinear align_corners=False taps, edges clamped', () => {
    // 4 → 8: source = (o + 0.5)/2 − 0.5, clamped at 0.
    const t = bilinearTaps(4, 8);
    expect(Array.from(t.i0)).toEqual([0, 0, 0, 1, 1, 2, 2, 3]);
    expect(Array.from(t.i1)).toEqual([0, 1, 1, 2, 2, 3, 3, 3]); // a zero-weight tap repeats the first
    expect(Array.from(t.lambda)).toEqual([0, 0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.25]);
    // Same size is the identity; 8 → 4 samples between pairs.
    const same = bilinearTaps(5, 5);
    expect(Array.from(same.lambda)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(same.i1)).toEqual(Array.from(same.i0));
    const down = bilinearTaps(8, 4);
    expect(Array.from(down.i0)).toEqual([0, 2, 4, 6]);
    expect(Array.from(down.lambda)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('refuses maps of the wrong shape with a sentence', async () => {
    const store = new PixelFeatureStore(shapes, L);
    const bad = randomMaps(shapes, 3);
    bad[2] = { ...bad[2], channels: 9 };
    await expect(store.addImage(bad)).rejects.toThrow(/expects 4×16²/);
  });
});

describe('float16', () => {
  it('round-trips every half value and rounds to nearest even', () => {
    for (let h = 0; h < 65536; h++) {
      const f = float16ToFloat32(h);
      if (Number.isNaN(f)) continue;
      expect(float32ToFloat16(f)).toBe(h);
    }
    expect(float32ToFloat16(1 + 2 ** -11)).toBe(0x3c00); // halfway: to even
    expect(float32ToFloat16(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float32ToFloat16(70000)).toBe(0x7c00);
    expect(float16ToFloat32(float32ToFloat16(0.1))).toBeCloseTo(0.1, 4);
  });
});
