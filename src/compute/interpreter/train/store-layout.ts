/**
 * The training store's shapes (pixel-features.ts): its options, where each map of each image is, and what
 * another thread needs to read it; and the bilinear tap weights, computed as the kernel computes them.
 */
import type { FeatureShape } from '../../../shared/interpreter-types';

export type StoragePrecision = 'float16' | 'float32';

/** Where one map of one image is: a byte offset in the kernel's memory, or in the spill file. */
export interface MapSlot {
  memory: number;
  bytes: number;
  fileOffset: number;
}

export interface FeatureStoreOptions {
  precision?: StoragePrecision;
  /** Bytes of feature maps kept in memory; maps beyond it go to a temporary file (default: all in memory). */
  memoryBytes?: number;
  /** Number of images the store will hold (needed to plan which maps spill; default: unknown, nothing spills). */
  expectedImages?: number;
}

/**
 * What another thread needs to read a store (ensemble-workers.ts): the shared memory and the offsets
 * in it, the spill file, and scratch and batch regions reserved for that thread alone.
 */
export interface StoreLayout {
  shapes: FeatureShape[];
  labelResolution: number;
  precision: StoragePrecision;
  memory: WebAssembly.Memory;
  mapTable: number;
  slotTables: number[];
  images: MapSlot[][];
  spillPath: string | null;
  scratchOut: number;
  scratchIn: number;
  batch: { offset: number; floats: number };
}

const f = Math.fround;

/** The four taps' weights in float32 arithmetic (each step rounded), so JS and the kernel compute the same. */
export function tapWeights(ly: number, lx: number): [number, number, number, number] {
  const uy = f(1 - ly),
    ux = f(1 - lx);
  return [f(uy * ux), f(uy * lx), f(ly * ux), f(ly * lx)];
}
