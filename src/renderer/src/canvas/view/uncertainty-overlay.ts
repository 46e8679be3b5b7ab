/**
 * The interpreter's per-pixel uncertainty (JS divergence of the ensemble) as a heat map: transparent
 * where the ensemble agrees, through yellow to red where it disagrees most. Values are scaled by
 * `max` (default: the largest value present).
 */

export interface UncertaintyMap {
  /** width·height values, row-major (Float32Array in nats, or Uint8Array already scaled 0–255). */
  values: Float32Array | Uint8Array;
  /** The value drawn fully red; default the largest value (255 for a Uint8Array). */
  max?: number;
}

export function paintUncertainty(canvas: HTMLCanvasElement, width: number, height: number, map: UncertaintyMap): void {
  if (map.values.length !== width * height) {
    throw new RangeError(`The uncertainty map has ${map.values.length} values but the image is ${width}×${height}`);
  }
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(width, height);
  let max = map.max ?? (map.values instanceof Uint8Array ? 255 : 0);
  if (!max) for (const v of map.values) if (v > max) max = v;
  const scale = max > 0 ? 1 / max : 0;
  for (let i = 0; i < map.values.length; i++) {
    const t = Math.min(1, Math.max(0, map.values[i] * scale));
    const o = 4 * i;
    img.data[o] = 255;
    img.data[o + 1] = Math.round(255 * (1 - t));
    img.data[o + 2] = 0;
    img.data[o + 3] = Math.round(230 * Math.sqrt(t));
  }
  ctx.putImageData(img, 0, 0);
}
