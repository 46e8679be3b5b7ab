/**
 * The label map painted through the class palette into an image-sized offscreen canvas, which Fabric
 * shows scaled with smoothing off. Only the changed rectangle is converted and uploaded
 * (putImageData with a dirty rect), so a brush stamp costs in proportion to its size, not the image's.
 * Background and hidden classes are transparent; opacity is the Fabric image's.
 */
import type { LabelRaster, PixelRect } from '../../../../shared/raster/label-raster';
import { parseHexColor } from '../../../../shared/palette';
import type { EditorClass } from '../model/settings';

/** RGBA as one little-endian uint32 (ImageData's byte order on every platform Chromium runs on). */
function rgba(r: number, g: number, b: number, a: number): number {
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

export class LabelOverlay {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly image: ImageData;
  private readonly words: Uint32Array;
  private readonly lut = new Uint32Array(256);

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    this.ctx = this.canvas.getContext('2d')!;
    this.image = this.ctx.createImageData(width, height);
    this.words = new Uint32Array(this.image.data.buffer);
  }

  /** Colours per class; ids no class claims are drawn magenta, so they stand out. */
  setPalette(classes: readonly EditorClass[], hidden: ReadonlySet<number>): void {
    this.lut.fill(rgba(255, 0, 255, 255));
    this.lut[0] = 0;
    for (const c of classes) {
      const [r, g, b] = parseHexColor(c.color);
      this.lut[c.index] = c.index === 0 || hidden.has(c.index) ? 0 : rgba(r, g, b, 255);
    }
  }

  /** Convert and upload the pixels of `rect` (all of them when rect is null). */
  paint(raster: LabelRaster, rect: PixelRect | null): void {
    const r = rect ?? { x: 0, y: 0, width: this.width, height: this.height };
    const { pixels, width } = raster;
    const lut = this.lut;
    const words = this.words;
    for (let y = r.y; y < r.y + r.height; y++) {
      const end = y * width + r.x + r.width;
      for (let i = y * width + r.x; i < end; i++) words[i] = lut[pixels[i]];
    }
    this.ctx.putImageData(this.image, 0, 0, r.x, r.y, r.width, r.height);
  }
}
