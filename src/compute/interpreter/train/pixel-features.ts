/**
 * DatasetGAN's pixel features, computed on demand for the pixels of a batch only (DESIGN §5).
 *
 * A pixel's feature vector is every feature map bilinearly upsampled to the label resolution and
 * concatenated in manifest order. Upsampling follows PyTorch `F.interpolate(mode='bilinear',
 * align_corners=False)` = ONNX Resize `half_pixel` linear: source = (o + 0.5)·(in/out) − 0.5, clamped
 * at 0 below; neighbours i0 = floor(source), i1 = min(i0 + 1, in − 1); weight λ = source − i0. So a
 * pixel needs only 4 neighbours of each map at its native resolution, and the store keeps the maps
 * at native resolution, channel-last (one pixel's channels contiguous), as float16 (like the official
 * code's feature cache) or float32.
 *
 * Maps that do not fit the memory budget are written to a temporary file (spill-file.ts) and read back per
 * pixel with positioned reads, so resident memory stays bounded whatever the number of samples.
 *
 * The resident maps live in the (shared) WebAssembly memory of a BilinearKernel, whose SIMD loop does
 * the mixing; `batchBuffer` hands out an output buffer in that memory (training stages one member
 * batch there), and training workers attach to the same memory (`workerLayout`, `attach`).
 */
import type { FeatureMaps, FeatureShape } from '../../../shared/interpreter-types';
import { UserError } from '../../../shared/errors';
import { toChannelFirst, toChannelLast } from './channel-layout';
import { BilinearKernel } from './bilinear-kernel';
import { bilinearTaps, type AxisTaps } from '../bilinear-taps';
import { SpillFile } from './spill-file';
import { tapWeights, type FeatureStoreOptions, type MapSlot, type StoreLayout } from './store-layout';

export type { FeatureStoreOptions, MapSlot, StoragePrecision, StoreLayout } from './store-layout';

/** Source bytes copied into kernel memory per transpose block (a few MiB: stays in cache, bounds the staging region). */
const TRANSPOSE_BLOCK_BYTES = 4 * 1024 * 1024;

export class PixelFeatureStore {
  readonly dims: number;
  readonly offsets: number[];
  private readonly taps: AxisTaps[];
  private readonly images: MapSlot[][] = [];
  private readonly spill: boolean[];
  private readonly bytesPerValue: number;
  private kernel: BilinearKernel | null = new BilinearKernel();
  /** Kernel scratch: one pixel's features when `out` is not kernel memory, and the rows read from the spill file. */
  private readonly scratchOut: number;
  private readonly scratchIn: number;
  /** Bytes of `scratchIn`: two rows of two pixels of the widest map. */
  private readonly scratchInBytes: number;
  /** The kernel's tables (tools/wasm/bilinear-mix.wat): per map info with its taps, and per image its map offsets. */
  private readonly mapTable: number;
  private readonly slotTables: number[] = [];
  /** Channels of each map the kernel's row call does (a multiple of 4); the rest is done in JS. */
  private readonly simdChannels: number[];
  private readonly file: SpillFile;
  /** Spill writes of the two staging regions a map's blocks alternate between (one is written while the other fills). */
  private readonly staging: [Promise<void>, Promise<void>] = [Promise.resolve(), Promise.resolve()];
  /** Set on a store attached to another thread's memory: its one batch region. */
  private readonly attachedBatch: StoreLayout['batch'] | null = null;
  /** Regions reserved by name (batch buffers, workers' scratch), reused by later calls that fit. */
  private readonly regions = new Map<string, { offset: number; bytes: number }>();

  constructor(
    readonly shapes: FeatureShape[],
    readonly labelResolution: number,
    private readonly opts: FeatureStoreOptions = {},
    layout?: StoreLayout,
  ) {
    this.bytesPerValue = (opts.precision ?? 'float16') === 'float16' ? 2 : 4;
    this.taps = shapes.map((s) => bilinearTaps(s.resolution, labelResolution));
    this.offsets = [];
    let d = 0;
    for (const s of shapes) {
      this.offsets.push(d);
      d += s.channels;
    }
    this.dims = d;
    this.simdChannels = shapes.map((s) => s.channels & ~3);
    this.scratchInBytes = 4 * Math.max(...shapes.map((s) => s.channels)) * this.bytesPerValue;
    if (layout) {
      // A reader of another thread's store: same tables and maps, its own scratch and batch regions.
      this.kernel = new BilinearKernel(layout.memory);
      this.spill = shapes.map((_, i) => layout.images.some((img) => img[i].memory < 0));
      this.scratchOut = layout.scratchOut;
      this.scratchIn = layout.scratchIn;
      this.mapTable = layout.mapTable;
      this.slotTables.push(...layout.slotTables);
      this.images.push(...layout.images);
      this.attachedBatch = layout.batch;
      this.file = new SpillFile(layout.spillPath);
      return;
    }
    this.file = new SpillFile();
    // Keep the cheapest maps (over all images) in memory, spill the rest once the budget is used.
    const n = opts.expectedImages ?? 0;
    const budget = opts.memoryBytes ?? Number.POSITIVE_INFINITY;
    const order = shapes
      .map((s, i) => ({ i, bytes: s.channels * s.resolution * s.resolution * this.bytesPerValue * n }))
      .sort((a, b) => a.bytes - b.bytes);
    this.spill = shapes.map(() => false);
    let used = 0;
    for (const { i, bytes } of order) {
      if (used + bytes > budget) this.spill[i] = true;
      else used += bytes;
    }
    this.scratchOut = this.k.alloc(4 * d);
    this.scratchIn = this.k.alloc(this.scratchInBytes);
    this.mapTable = this.k.alloc(32 * shapes.length);
    const tapsAt = shapes.map(() => this.k.alloc(12 * labelResolution));
    const i32 = new Int32Array(this.k.u8.buffer);
    const f32 = this.k.f32;
    shapes.forEach((_, m) => {
      const info = (this.mapTable >> 2) + 8 * m;
      i32[info] = this.simdChannels[m];
      i32[info + 1] = shapes[m].resolution;
      i32[info + 2] = 4 * this.offsets[m];
      i32[info + 3] = tapsAt[m];
      i32[info + 4] = shapes[m].channels;
      const t = this.taps[m];
      for (let o = 0; o < labelResolution; o++) {
        const e = (tapsAt[m] >> 2) + 3 * o;
        i32[e] = t.i0[o];
        i32[e + 1] = t.i1[o];
        f32[e + 2] = t.lambda[o];
      }
    });
  }

  private get k(): BilinearKernel {
    if (!this.kernel) throw new Error('PixelFeatureStore used after dispose()');
    return this.kernel;
  }

  /**
   * A zeroed float32 buffer of `floats` values in the kernel's memory: gathering into it writes in
   * place. Allocate it after the last addImage (adding images may grow the memory). An attached
   * store returns its reserved region.
   */
  batchBuffer(floats: number): Float32Array {
    let at: number;
    if (this.attachedBatch) {
      if (floats > this.attachedBatch.floats)
        throw new Error(`batch of ${floats} floats exceeds the ${this.attachedBatch.floats} reserved`);
      at = this.attachedBatch.offset;
    } else at = this.region('batch', 4 * floats);
    return this.k.f32.subarray(at >> 2, (at >> 2) + floats).fill(0);
  }

  /** The region named `name`, at least `bytes` long: the one reserved before when it fits (training runs one after another). */
  private region(name: string, bytes: number): number {
    const r = this.regions.get(name);
    if (r && r.bytes >= bytes) return r.offset;
    const offset = this.k.alloc(bytes);
    this.regions.set(name, { offset, bytes });
    return offset;
  }

  /** Reserves scratch and a batch region of `batchFloats` for reader number `slot` on another thread, and describes the store to it. */
  workerLayout(slot: number, batchFloats: number): StoreLayout {
    if (this.attachedBatch) throw new Error('an attached store cannot share itself further');
    // Plain data: the worker gets its own copy when the layout is posted to it.
    return {
      shapes: this.shapes,
      labelResolution: this.labelResolution,
      precision: this.bytesPerValue === 2 ? 'float16' : 'float32',
      memory: this.k.memory,
      mapTable: this.mapTable,
      slotTables: this.slotTables,
      images: this.images,
      spillPath: this.file.location,
      scratchOut: this.region(`out${slot}`, 4 * this.dims),
      scratchIn: this.region(`in${slot}`, this.scratchInBytes),
      batch: { offset: this.region(`batch${slot}`, 4 * batchFloats), floats: batchFloats },
    };
  }

  /** A store reading `layout` (made by workerLayout in another thread). */
  static attach(layout: StoreLayout): PixelFeatureStore {
    return new PixelFeatureStore(layout.shapes, layout.labelResolution, { precision: layout.precision }, layout);
  }

  get imageCount(): number {
    return this.images.length;
  }

  /**
   * Adds one image's maps ([C, r, r] float32 each, manifest order); they are copied, the caller may drop
   * them once this resolves. Spilled maps may still be on their way to the file: `flush` before reading.
   */
  async addImage(maps: FeatureMaps): Promise<number> {
    if (maps.length !== this.shapes.length) {
      throw new UserError(
        `The interpreter expects ${this.shapes.length} feature maps per image but got ${maps.length}; regenerate the features with the project's generator.`,
      );
    }
    const slots: MapSlot[] = [];
    for (const [i, m] of maps.entries()) {
      const s = this.shapes[i];
      if (
        m.channels !== s.channels ||
        m.resolution !== s.resolution ||
        m.data.length !== s.channels * s.resolution * s.resolution
      ) {
        throw new UserError(
          `Feature map "${m.name}" has shape ${m.channels}×${m.resolution}² but the interpreter expects ${s.channels}×${s.resolution}²; use the generator the interpreter was made for.`,
        );
      }
      const n = s.channels * s.resolution * s.resolution;
      const bytes = n * this.bytesPerValue;
      const hw = s.resolution * s.resolution;
      if (this.kernelTransposes(s.channels, hw)) {
        slots.push(await this.addMapWithKernel(m.data, s.channels, hw, this.spill[i]));
      } else if (this.spill[i]) {
        const t = this.bytesPerValue === 2 ? new Uint16Array(n) : new Float32Array(n);
        toChannelLast(m.data, s.channels, hw, t);
        slots.push({
          memory: -1,
          bytes: 0,
          fileOffset: this.file.append(new Uint8Array(t.buffer, t.byteOffset, t.byteLength)).offset,
        });
      } else {
        // Converted straight into kernel memory: no second copy of the resident maps waits for GC.
        const at = this.k.alloc(bytes);
        const dst =
          this.bytesPerValue === 2
            ? this.k.u16.subarray(at >> 1, (at >> 1) + n)
            : this.k.f32.subarray(at >> 2, (at >> 2) + n);
        toChannelLast(m.data, s.channels, hw, dst);
        slots.push({ memory: at, bytes, fileOffset: -1 });
      }
    }
    const table = this.k.alloc(4 * slots.length);
    new Int32Array(this.k.u8.buffer, table, slots.length).set(slots.map((x) => x.memory));
    this.slotTables.push(table);
    this.images.push(slots);
    return this.images.length - 1;
  }

  /** Whether the SIMD transpose handles a map of this shape (else the JS loop below does). */
  private kernelTransposes(c: number, hw: number): boolean {
    return hw % 4 === 0 && c % (this.bytesPerValue === 2 ? 8 : 4) === 0;
  }

  /**
   * A map made channel-last by the SIMD kernel, a block of pixels at a time: the block's channel rows
   * are copied into kernel memory, then transposed (and rounded to float16) into the map's place, or
   * into one of two staging regions that is appended to the spill file while the other one fills.
   */
  private async addMapWithKernel(src: Float32Array, c: number, hw: number, spill: boolean): Promise<MapSlot> {
    const bpv = this.bytesPerValue;
    const block = Math.max(4, Math.floor(TRANSPOSE_BLOCK_BYTES / (4 * c)) & ~3);
    const inAt = this.region('transpose-in', 4 * c * block);
    const outAt = spill
      ? [this.region('transpose-out0', bpv * c * block), this.region('transpose-out1', bpv * c * block)]
      : [this.k.alloc(bpv * c * hw)];
    let fileOffset = -1;
    for (let p0 = 0, b = 0; p0 < hw; p0 += block, b ^= 1) {
      const p1 = Math.min(hw, p0 + block);
      const f32 = this.k.f32;
      for (let ch = 0; ch < c; ch++) f32.set(src.subarray(ch * hw + p0, ch * hw + p1), (inAt >> 2) + ch * (p1 - p0));
      if (!spill) {
        this.k.toChannelLast(bpv === 2, outAt[0] + p0 * c * bpv, inAt, c, p1 - p0);
        continue;
      }
      await this.staging[b]; // the region's previous block is on its way to the file until then
      this.k.toChannelLast(bpv === 2, outAt[b], inAt, c, p1 - p0);
      const { offset, written } = this.file.append(this.k.u8.subarray(outAt[b], outAt[b] + (p1 - p0) * c * bpv));
      if (fileOffset < 0) fileOffset = offset;
      this.staging[b] = written;
    }
    return spill ? { memory: -1, bytes: 0, fileOffset } : { memory: outAt[0], bytes: bpv * c * hw, fileOffset: -1 };
  }

  /** Resolves when every spilled map is on file (before training reads them). */
  flush(): Promise<void> {
    return this.file.flush();
  }

  /** Reads `count` channel-last pixels of a spilled map, from pixel `pixel` on, into kernel memory at `at`. */
  private readPixels(slot: MapSlot, channels: number, pixel: number, count: number, at: number): void {
    const len = channels * count * this.bytesPerValue;
    this.file.read(this.k.u8, at, len, slot.fileOffset + pixel * channels * this.bytesPerValue);
  }

  /** Writes the feature vector of label pixel `pixel` (row-major at the label resolution) of `image` to out[at..at+dims). */
  gather(image: number, pixel: number, out: Float32Array, at: number): void {
    const k = this.k;
    const slots = this.images[image];
    const L = this.labelResolution;
    const oy = (pixel / L) | 0;
    const ox = pixel - oy * L;
    const bpv = this.bytesPerValue;
    const direct = k.owns(out);
    const outBase = direct ? out.byteOffset + 4 * at : this.scratchOut;
    // The resident maps' channels in multiples of 4, in one kernel call; then what is left here:
    // spilled maps, and the last c mod 4 channels of a map.
    k.row(bpv === 2, outBase, this.slotTables[image], this.mapTable, slots.length, oy, ox);
    for (let m = 0; m < slots.length; m++) {
      const slot = slots[m];
      const { channels: c, resolution: r } = this.shapes[m];
      const from = slot.memory >= 0 ? this.simdChannels[m] : 0;
      if (from === c) continue;
      const t = this.taps[m];
      const y0 = t.i0[oy],
        y1 = t.i1[oy],
        x0 = t.i0[ox],
        x1 = t.i1[ox];
      let p00: number, p01: number, p10: number, p11: number;
      if (slot.memory >= 0) {
        const row = r * c * bpv;
        p00 = slot.memory + y0 * row + x0 * c * bpv;
        p01 = p00 + (x1 - x0) * c * bpv;
        p10 = slot.memory + y1 * row + x0 * c * bpv;
        p11 = p10 + (x1 - x0) * c * bpv;
      } else {
        // Two positioned reads (rows y0 and y1, columns x0..x1) into the kernel's scratch.
        const span = x1 - x0 + 1;
        const rowBytes = 2 * c * bpv;
        this.readPixels(slot, c, y0 * r + x0, span, this.scratchIn);
        if (y1 !== y0) this.readPixels(slot, c, y1 * r + x0, span, this.scratchIn + rowBytes);
        p00 = this.scratchIn;
        p01 = p00 + (span - 1) * c * bpv;
        p10 = y1 !== y0 ? this.scratchIn + rowBytes : p00;
        p11 = p10 + (span - 1) * c * bpv;
      }
      const [w00, w01, w10, w11] = tapWeights(t.lambda[oy], t.lambda[ox]);
      const skip = from * bpv;
      k.mix(
        bpv === 2,
        outBase + 4 * (this.offsets[m] + from),
        p00 + skip,
        p01 + skip,
        p10 + skip,
        p11 + skip,
        c - from,
        w00,
        w01,
        w10,
        w11,
      );
    }
    if (!direct) out.set(k.f32.subarray(this.scratchOut >> 2, (this.scratchOut >> 2) + this.dims), at);
  }

  /**
   * One image's maps back as [C, r, r] float32 (values as stored, so float16-rounded by default):
   * cross-validation labels held-out images with the factorised graph, which is far cheaper than the
   * per-pixel path at large resolutions.
   */
  readMaps(image: number): FeatureMaps {
    return this.shapes.map((s, m) => {
      const slot = this.images[image][m];
      const c = s.channels;
      const hw = s.resolution * s.resolution;
      let src: Uint16Array | Float32Array;
      if (slot.memory >= 0) {
        const n = c * hw;
        src =
          this.bytesPerValue === 2
            ? this.k.u16.subarray(slot.memory >> 1, (slot.memory >> 1) + n)
            : this.k.f32.subarray(slot.memory >> 2, (slot.memory >> 2) + n);
      } else {
        const bytes = new Uint8Array(c * hw * this.bytesPerValue);
        this.file.read(bytes, 0, bytes.length, slot.fileOffset);
        src = this.bytesPerValue === 2 ? new Uint16Array(bytes.buffer) : new Float32Array(bytes.buffer);
      }
      return { name: s.name, channels: c, resolution: s.resolution, data: toChannelFirst(src, c, hw) };
    });
  }

  /** Bytes held in memory by the maps (excluding the spill file). */
  residentBytes(): number {
    let b = 0;
    for (const img of this.images) for (const s of img) b += s.bytes;
    return b;
  }

  spilledMaps(): string[] {
    return this.shapes.filter((_, i) => this.spill[i]).map((s) => s.name);
  }

  /** Deletes the temporary file, if any (once its writes have settled). The store is unusable afterwards. */
  async dispose(): Promise<void> {
    this.images.length = 0;
    this.kernel = null;
    await this.file.dispose(); // only the owner has made a folder
  }
}
