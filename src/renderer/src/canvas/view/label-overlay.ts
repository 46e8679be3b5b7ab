/**
 * A label map painted through the class colours (src/shared/raster/label-colors.ts) into an image-sized
 * canvas, one canvas pixel per label pixel: Fabric shows it scaled with smoothing off on the annotation
 * canvas, and the conflicts view mounts it as is. Only the changed rectangle is converted and uploaded
 * (putImageData with a dirty rect), so a brush stamp costs in proportion to its size, not the image's.
 * Opacity is the caller's (the Fabric image's, or CSS).
 */
import { colorLabels, labelPalette, type ColoredClass } from '../../../../shared/raster/label-colors';
import type { LabelRaster, PixelRect } from '../../../../shared/raster/label-raster';

export class LabelOverlay {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly image: ImageData;
  private palette = labelPalette([]);

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    this.ctx = this.canvas.getContext('2d')!;
    this.image = this.ctx.createImageData(width, height);
  }

  /** The classes' colours; hidden ones are drawn transparent (takes effect with the next paint). */
  setPalette(classes: readonly ColoredClass[], hidden: ReadonlySet<number> = new Set()): void {
    this.palette = labelPalette(classes, hidden);
  }

  /** Convert and upload the pixels of `rect` (all of them when rect is null). */
  paint(raster: LabelRaster, rect: PixelRect | null): void {
    const r = rect ?? { x: 0, y: 0, width: this.width, height: this.height };
    colorLabels(raster, this.palette, this.image.data, r);
    this.ctx.putImageData(this.image, 0, 0, r.x, r.y, r.width, r.height);
  }
}
