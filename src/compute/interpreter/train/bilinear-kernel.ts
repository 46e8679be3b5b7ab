/**
 * The pixel-feature gather's inner loop in WebAssembly SIMD (tools/wasm/bilinear-mix.wat), with the
 * memory it works in.
 *
 * Gathering a training batch mixes four channel-last pixels of every map for every row of every
 * member's batch: about a million multiply-adds per ensemble step at the demo's 784 dims, a third of
 * the step in plain JS (four float16 table lookups per value). The SIMD kernel reads the halves,
 * widens them exactly and mixes 4 channels at a time, several times faster. Its inputs and outputs must
 * live in one WebAssembly.Memory, so this class is also a bump allocator over that memory: the feature
 * store keeps its resident maps there and hands out the buffer a training batch is gathered into.
 *
 * The memory is shared (a SharedArrayBuffer), so training workers attach to the same maps without a
 * copy (ensemble-workers.ts). Offsets are what the store keeps; views are re-made after the memory
 * grows, which only the owning thread does, and only while samples are added.
 */
import { UserError } from '../../../shared/errors';
import { lazy } from '../../../shared/lazy';
import { BILINEAR_MIX_WASM_BASE64 } from './bilinear-mix-wasm';
import { float16ToFloat32Table } from './float16';

type Mix = (
  out: number,
  a: number,
  b: number,
  c: number,
  d: number,
  n: number,
  w00: number,
  w01: number,
  w10: number,
  w11: number,
) => void;
type Row = (out: number, slots: number, maps: number, n: number, oy: number, ox: number) => void;
type Transpose = (dst: number, src: number, c: number, n: number) => void;

const PAGE = 65536;
const MAX_PAGES = 65536; // wasm32: 4 GiB

const compiled = lazy(() => new WebAssembly.Module(Buffer.from(BILINEAR_MIX_WASM_BASE64, 'base64')));

export class BilinearKernel {
  readonly memory: WebAssembly.Memory;
  private readonly mix32: Mix;
  private readonly mix16: Mix;
  private readonly row16: Row;
  private readonly row32: Row;
  private readonly tcl16: Transpose;
  private readonly tcl32: Transpose;
  private top = 0;
  private buf!: SharedArrayBuffer;
  private f32View!: Float32Array;
  private u16View!: Uint16Array;
  private u8View!: Uint8Array;

  /** A new memory, or (in a worker) one that another thread's kernel owns: then it must not alloc. */
  constructor(memory?: WebAssembly.Memory) {
    this.memory = memory ?? new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    this.top = memory ? Number.POSITIVE_INFINITY : 0;
    const inst = new WebAssembly.Instance(compiled(), { env: { memory: this.memory } });
    this.mix32 = inst.exports.mix32 as Mix;
    this.mix16 = inst.exports.mix16 as Mix;
    this.row16 = inst.exports.row16 as Row;
    this.row32 = inst.exports.row32 as Row;
    this.tcl16 = inst.exports.tcl16 as Transpose;
    this.tcl32 = inst.exports.tcl32 as Transpose;
    this.refresh();
  }

  /** Reserves `bytes` (16-byte aligned) and returns their offset; may replace the memory's buffer. */
  alloc(bytes: number): number {
    if (this.top === Number.POSITIVE_INFINITY) throw new Error('BilinearKernel: an attached kernel cannot allocate');
    const at = this.top;
    const end = at + Math.ceil(bytes / 16) * 16;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) {
        throw new UserError(
          'The training features need more than 4 GiB of memory; lower the feature memory budget or the label resolution and train again.',
        );
      }
      this.memory.grow(pages);
      this.refresh();
    }
    this.top = end;
    return at;
  }

  /** Views over the whole memory; made again after it grows (a grown shared memory gives a new, longer buffer object). */
  private refresh(): void {
    this.buf = this.memory.buffer as unknown as SharedArrayBuffer;
    this.f32View = new Float32Array(this.buf);
    this.u16View = new Uint16Array(this.buf);
    this.u8View = new Uint8Array(this.buf);
  }

  get f32(): Float32Array {
    return this.f32View;
  }
  get u16(): Uint16Array {
    return this.u16View;
  }
  get u8(): Uint8Array {
    return this.u8View;
  }

  /** True when `a` is a view into this memory (so the kernel can write into it directly). */
  owns(a: ArrayBufferView): boolean {
    return a.buffer === this.buf;
  }

  /**
   * One label pixel (oy, ox) of every resident map, from the tables described in
   * tools/wasm/bilinear-mix.wat: `maps` (n entries), `slots` (the image's map offsets).
   */
  row(half: boolean, out: number, slots: number, maps: number, n: number, oy: number, ox: number): void {
    (half ? this.row16 : this.row32)(out, slots, maps, n, oy, ox);
  }

  /**
   * Channel-first [c, n] float32 at byte offset `src` → channel-last [n, c] at `dst`, as float16
   * (`half`, c a multiple of 8) or float32 (c a multiple of 4); n a multiple of 4.
   */
  toChannelLast(half: boolean, dst: number, src: number, c: number, n: number): void {
    (half ? this.tcl16 : this.tcl32)(dst, src, c, n);
  }

  /**
   * out[i] = w00·a[i] + w01·b[i] + w10·c[i] + w11·d[i] for i < n, offsets in bytes, inputs float16
   * (`half`) or float32. The kernel does the multiple-of-4 part, the rest is done here.
   */
  mix(
    half: boolean,
    out: number,
    a: number,
    b: number,
    c: number,
    d: number,
    n: number,
    w00: number,
    w01: number,
    w10: number,
    w11: number,
  ): void {
    const n4 = n & ~3;
    if (n4) (half ? this.mix16 : this.mix32)(out, a, b, c, d, n4, w00, w01, w10, w11);
    if (n4 === n) return;
    const f = this.f32;
    if (half) {
      const u = this.u16;
      const h = float16ToFloat32Table();
      for (let i = n4; i < n; i++) {
        f[(out >> 2) + i] =
          w00 * h[u[(a >> 1) + i]] + w01 * h[u[(b >> 1) + i]] + w10 * h[u[(c >> 1) + i]] + w11 * h[u[(d >> 1) + i]];
      }
    } else {
      for (let i = n4; i < n; i++) {
        f[(out >> 2) + i] =
          w00 * f[(a >> 2) + i] + w01 * f[(b >> 2) + i] + w10 * f[(c >> 2) + i] + w11 * f[(d >> 2) + i];
      }
    }
  }
}
