/** IEEE-754 half precision, used to store feature maps at half the memory (as the official code caches them). */
import { lazy } from '../../../shared/lazy';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → float16 bits, round to nearest even; overflow → ±Inf, NaN kept. */
export function float32ToFloat16(v: number): number {
  f32[0] = v;
  return float32BitsToFloat16(u32[0]);
}

/** The same from the float32's bit pattern (read through a Uint32Array view: no float round trip). */
export function float32BitsToFloat16(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let h = mant >>> shift;
    if (rest > half || (rest === half && h & 1)) h += 1;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h += 1; // may carry into the exponent: still correct
  return sign | h;
}

export function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** All 65,536 half values as float32 (256 KB), so decoding is one lookup. */
export const float16ToFloat32Table = lazy((): Float32Array => {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) table[h] = float16ToFloat32(h);
  return table;
});
