/**
 * The labeler's upsampling kernel (label/upsample-kernel.ts): `gacc`, one pixel written channel-last
 * (the early-decided vote's gather), gives the bits `hacc` writes channel-first for the same pixel.
 */
import { describe, expect, it } from 'vitest';
import { bilinearTaps } from '../bilinear-taps';
import { UpsampleKernel } from '../label/upsample-kernel';

describe('the labeler’s upsampling kernel', () => {
  it('writes one pixel with gacc as hacc writes it in its row', () => {
    const k = new UpsampleKernel();
    const h = 40; // channels: two 16-channel steps and two 4-channel steps
    const L = 21; // a row off the kernel's 16-pixel blocks
    const resolutions = [3, 8, 13];
    const rows = resolutions.map((r) => k.alloc(r * h * 4));
    const taps = resolutions.map(() => k.alloc(16 * L));
    const bias = k.alloc(h * 4);
    const table = k.alloc(8 * resolutions.length);
    const out = k.alloc(h * L * 4);
    const pixel = k.alloc(h * 4);
    const scratch = k.alloc(16 * h * 4);
    let seed = 5;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 3;
    resolutions.forEach((r, g) => k.f32(rows[g], r * h).forEach((_, i, a) => (a[i] = rnd())));
    k.f32(bias, h).forEach((_, i, a) => (a[i] = rnd()));
    const t = k.i32(table, 2 * resolutions.length);
    resolutions.forEach((r, g) => {
      const axis = bilinearTaps(r, L);
      const ti = k.i32(taps[g], 4 * L);
      const tf = k.f32(taps[g], 4 * L);
      for (let x = 0; x < L; x++) {
        ti[4 * x] = axis.i0[x] * h * 4;
        ti[4 * x + 1] = axis.i1[x] * h * 4;
        tf[4 * x + 2] = 1 - axis.lambda[x];
        tf[4 * x + 3] = axis.lambda[x];
      }
      t[2 * g] = rows[g];
      t[2 * g + 1] = taps[g];
    });
    k.hacc(out, L * 4, bias, h, L, table, resolutions.length, scratch);
    const row = k.f32(out, h * L);
    for (let x = 0; x < L; x++) {
      k.gacc(pixel, bias, h, table, resolutions.length, x);
      const got = k.f32(pixel, h);
      for (let c = 0; c < h; c++) expect(got[c]).toBe(row[c * L + x]);
    }
  });
});
