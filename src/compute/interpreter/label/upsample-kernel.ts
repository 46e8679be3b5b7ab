/**
 * The labeler's upsampling kernel (tools/wasm/label-upsample.wat) with the memory it works in.
 *
 * onnxruntime has no cheap way to upsample N·h1 = 1,280 channels: its Resize spends nanoseconds per
 * output value, which at a 512² label grid is seconds per image. The kernel resamples channel-last
 * projections (one pixel's channels contiguous) four channels per SIMD step, one output row at a time,
 * summing every group of maps and the first layer's bias in the same pass, and writes the tile
 * channel-first (the layout the rest of the ensemble reads) once. The memory is not shared: onnxruntime-node reads the tiles
 * and writes the projections in place through views of it.
 *
 * All memory is reserved before the first image (`alloc`), so views made afterwards stay valid.
 */
import { lazy } from '../../../shared/lazy';
import { LABEL_UPSAMPLE_WASM_BASE64 } from './upsample-wasm';

type Blend = (dst: number, a: number, b: number, n: number, w0: number, w1: number) => void;
type Gacc = (out: number, bias: number, h: number, groups: number, g: number, x: number) => void;
type Hacc = (
  out: number,
  stride: number,
  bias: number,
  h: number,
  len: number,
  groups: number,
  g: number,
  scratch: number,
) => void;

const PAGE = 65536;
const MAX_PAGES = 65536; // wasm32: 4 GiB

const compiled = lazy(() => new WebAssembly.Module(Buffer.from(LABEL_UPSAMPLE_WASM_BASE64, 'base64')));

export class UpsampleKernel {
  readonly memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES });
  private readonly blendFn: Blend;
  private readonly haccFn: Hacc;
  private readonly gaccFn: Gacc;
  private top = 0;

  constructor() {
    const inst = new WebAssembly.Instance(compiled(), { env: { memory: this.memory } });
    this.blendFn = inst.exports.blend as Blend;
    this.haccFn = inst.exports.hacc as Hacc;
    this.gaccFn = inst.exports.gacc as Gacc;
  }

  /** Reserves `bytes` (16-byte aligned) and returns their byte offset. Views made before may detach. */
  alloc(bytes: number): number {
    const at = this.top;
    const end = at + Math.ceil(bytes / 16) * 16;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) throw new RangeError('The labeler needs more than 4 GiB of scratch memory.');
      this.memory.grow(pages);
    }
    this.top = end;
    return at;
  }

  /** A float32 view of `length` values at byte offset `at`. */
  f32(at: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, length);
  }

  i32(at: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, at, length);
  }

  /** dst[i] = w0·a[i] + w1·b[i] for n floats (n a multiple of 4); byte offsets. */
  blend(dst: number, a: number, b: number, n: number, w0: number, w1: number): void {
    this.blendFn(dst, a, b, n, w0, w1);
  }

  /**
   * One output row of `len` pixels of `h` floats, written channel-first (`stride` bytes between
   * channels): bias plus, for each of the `g` groups in the table at `groups`, the two-tap mix of its
   * blended row (see the .wat for the table layout). `scratch` holds 16·h floats.
   */
  hacc(
    out: number,
    stride: number,
    bias: number,
    h: number,
    len: number,
    groups: number,
    g: number,
    scratch: number,
  ): void {
    this.haccFn(out, stride, bias, h, len, groups, g, scratch);
  }

  /**
   * Pixel `x` of the output row the table describes (as for `hacc`), its `h` floats written
   * channel-last at `out`: the same values `hacc` writes for it.
   */
  gacc(out: number, bias: number, h: number, groups: number, g: number, x: number): void {
    this.gaccFn(out, bias, h, groups, g, x);
  }
}
