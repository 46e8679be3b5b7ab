/**
 * The training store's layout conversions in plain JS (pixel-features.ts): a [C, r, r] map made
 * channel-last, rounded to float16 or kept float32, for maps the SIMD kernel does not transpose (channels
 * not a multiple of 8, or an odd side); and a stored channel-last map back to [C, r, r] float32.
 */
import { float16ToFloat32Table, float32BitsToFloat16 } from './float16';

/** [C, hw] float32 → [hw, C] float16 bits (Uint16Array) or float32, into `dst`. */
export function toChannelLast(src: Float32Array, c: number, hw: number, dst: Uint16Array | Float32Array): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  // Transposed in blocks of pixels so the writes stay in cache.
  const BLOCK = 256;
  for (let p0 = 0; p0 < hw; p0 += BLOCK) {
    const p1 = Math.min(hw, p0 + BLOCK);
    if (dst instanceof Uint16Array) {
      for (let ch = 0; ch < c; ch++)
        for (let p = p0, s = ch * hw + p0; p < p1; p++, s++) dst[p * c + ch] = float32BitsToFloat16(bits[s]);
    } else {
      for (let ch = 0; ch < c; ch++) for (let p = p0, s = ch * hw + p0; p < p1; p++, s++) dst[p * c + ch] = src[s];
    }
  }
}

/** [hw, C] float16 bits or float32 → [C, hw] float32 (float16 widened exactly). */
export function toChannelFirst(src: Uint16Array | Float32Array, c: number, hw: number): Float32Array {
  const data = new Float32Array(c * hw);
  const half = float16ToFloat32Table();
  for (let p = 0; p < hw; p++) {
    const base = p * c;
    if (src instanceof Uint16Array) for (let ch = 0; ch < c; ch++) data[ch * hw + p] = half[src[base + ch]];
    else for (let ch = 0; ch < c; ch++) data[ch * hw + p] = src[base + ch];
  }
  return data;
}
