import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BilinearKernel } from '../train/bilinear-kernel';
import { float16ToFloat32, float32BitsToFloat16 } from '../train/float16';
import { testRng } from '../../../shared/test/test-rng';

describe('the bilinear SIMD kernel', () => {
  it('widens every float16 value exactly in the SIMD kernel (subnormals, ±Inf and NaN included)', () => {
    const k = new BilinearKernel();
    const halves = k.alloc(65536 * 2);
    const zeros = k.alloc(65536 * 2);
    const out = k.alloc(65536 * 4);
    const u16 = k.u16;
    for (let h = 0; h < 65536; h++) {
      u16[(halves >> 1) + h] = h;
      u16[(zeros >> 1) + h] = 0;
    }
    // The kernel does 65532 values and the JS tail the last 4 (n not a multiple of 4 on purpose).
    k.mix(true, out, halves, zeros, zeros, zeros, 65535, 1, 0.25, 0.5, 0.25);
    const f = k.f32;
    let wrong = 0;
    for (let h = 0; h < 65535; h++) {
      const want = float16ToFloat32(h) + 0; // the zero taps turn −0 into +0
      const got = f[(out >> 2) + h];
      if (Number.isNaN(want) ? !Number.isNaN(got) : got !== want) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('rounds float32 to float16 while transposing exactly as float16.ts does (ties, subnormals, overflow, ±Inf, NaN)', () => {
    // Every exponent with mantissas around the rounding points, plus the special values.
    const patterns: number[] = [];
    for (let e = 0; e < 256; e++) {
      for (const m of [
        0, 1, 0xfff, 0x1000, 0x1001, 0x2000, 0x3000, 0x7fffff, 0x400000, 0x401000, 0x7fe000, 0x7ff000, 0x7ff001,
      ]) {
        patterns.push((e << 23) | m, ((e << 23) | m | 0x80000000) >>> 0);
      }
    }
    const rng = testRng('random float32 patterns');
    for (let i = 0; i < 20000; i++) patterns.push(rng.uint32());
    while (patterns.length % 32) patterns.push(0);
    const c = 8;
    const n = patterns.length / c;
    const k = new BilinearKernel();
    const src = k.alloc(4 * c * n);
    const dst = k.alloc(2 * c * n);
    new Uint32Array(k.f32.buffer, src, c * n).set(patterns); // channel-first: value (ch, p) = patterns[ch·n + p]
    k.toChannelLast(true, dst, src, c, n);
    const u16 = k.u16;
    let wrong = 0;
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < n; p++)
        if (u16[(dst >> 1) + p * c + ch] !== float32BitsToFloat16(patterns[ch * n + p])) wrong++;
    }
    expect(wrong, rng.note).toBe(0);
    // float32: a plain transpose.
    const out = k.alloc(4 * c * n);
    k.toChannelLast(false, out, src, c, n);
    const u32 = new Uint32Array(k.f32.buffer);
    let moved = 0;
    for (let ch = 0; ch < c; ch++)
      for (let p = 0; p < n; p++) if (u32[(out >> 2) + p * c + ch] !== patterns[ch * n + p] >>> 0) moved++;
    expect(moved, rng.note).toBe(0);
  });

  it('is assembled from the committed tools/wasm/bilinear-mix.wat', () => {
    const r = spawnSync(process.execPath, ['tools/wasm/build.mjs', '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('mixes float32 inputs with the four weights', () => {
    const k = new BilinearKernel();
    const n = 11;
    const src = [0, 1, 2, 3].map(() => k.alloc(4 * n));
    const out = k.alloc(4 * n);
    const f = k.f32;
    src.forEach((at, j) => {
      for (let i = 0; i < n; i++) f[(at >> 2) + i] = (j + 1) * 10 + i;
    });
    k.mix(false, out, src[0], src[1], src[2], src[3], n, 0.1, 0.2, 0.3, 0.4);
    for (let i = 0; i < n; i++) {
      const want = 0.1 * (10 + i) + 0.2 * (20 + i) + 0.3 * (30 + i) + 0.4 * (40 + i);
      expect(Math.abs(k.f32[(out >> 2) + i] - want)).toBeLessThan(1e-4);
    }
  });
});
