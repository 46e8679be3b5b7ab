/**
 * Half-pixel bilinear upsampling as PyTorch `F.interpolate(mode='bilinear', align_corners=False)` and
 * ONNX Resize `half_pixel` linear do it, one axis at a time: the two source taps and the weight of the
 * second for every output coordinate. Training's feature store and the labeler's plan share it, so both
 * read a pixel's features the same way.
 */
/** Per output coordinate: the two source indices and the weight of the second. */
export interface AxisTaps {
  i0: Int32Array;
  i1: Int32Array;
  lambda: Float32Array;
}

export function bilinearTaps(inSize: number, outSize: number): AxisTaps {
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const lambda = new Float32Array(outSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const src = Math.max((o + 0.5) * scale - 0.5, 0);
    const a = Math.min(Math.floor(src), inSize - 1);
    i0[o] = a;
    lambda[o] = src - a;
    // A zero-weight second tap reads the first again: the same cache lines, not the next row's.
    i1[o] = lambda[o] === 0 ? a : Math.min(a + 1, inSize - 1);
  }
  return { i0, i1, lambda };
}
