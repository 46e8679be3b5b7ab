/**
 * Generator output → 8-bit RGB. The manifest's imageRange [lo, hi] maps linearly to [0, 255]; values
 * are clamped and rounded half up (floor(x + 0.5)), so every platform gets the same bytes.
 */

/** Convert sample `index` of a planar float image batch [B, 3, H, W] to interleaved RGB8 [H, W, 3]. */
export function planarToRgb8(
  batch: Float32Array,
  index: number,
  height: number,
  width: number,
  range: readonly [number, number],
): Uint8Array {
  const plane = height * width;
  const base = index * 3 * plane;
  const [lo, hi] = range;
  const scale = 255 / (hi - lo);
  const out = new Uint8Array(plane * 3);
  for (let c = 0; c < 3; c++) {
    const src = base + c * plane;
    for (let p = 0; p < plane; p++) {
      const v = Math.floor((batch[src + p] - lo) * scale + 0.5);
      out[p * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}
