/**
 * The feature wand's preview: the selection in the active class's colour, half transparent, with its
 * outline drawn opaque in black or white (whichever stands out from the colour), so it reads over the
 * image and over labels of the same class. Painted at the image's resolution, one canvas pixel per
 * label pixel, like the label overlay; a preview, never read back into the map.
 */
import { parseHexColor } from '../../../../shared/palette';

const FILL_ALPHA = 150;

export function paintWandPreview(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  mask: Uint8Array | null,
  color: string,
): void {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  if (!mask || mask.length !== width * height) {
    ctx.clearRect(0, 0, width, height);
    return;
  }
  const [r, g, b] = parseHexColor(color);
  const edge = 0.299 * r + 0.587 * g + 0.114 * b > 140 ? 0 : 255;
  const img = ctx.createImageData(width, height);
  const px = img.data;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const outline =
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        !mask[i - 1] ||
        !mask[i + 1] ||
        !mask[i - width] ||
        !mask[i + width];
      const o = 4 * i;
      if (outline) {
        px[o] = px[o + 1] = px[o + 2] = edge;
        px[o + 3] = 255;
      } else {
        px[o] = r;
        px[o + 1] = g;
        px[o + 2] = b;
        px[o + 3] = FILL_ALPHA;
      }
    }
  ctx.putImageData(img, 0, 0);
}
