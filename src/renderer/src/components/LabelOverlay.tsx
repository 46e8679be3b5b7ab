import { useEffect, useRef } from 'react';
import { parseHexColor } from '../../../shared/palette';
import type { StudioClass } from '../../../shared/api';

/**
 * A label map painted through the class colours into a canvas at the image's own resolution (one
 * canvas pixel per label pixel, shown without smoothing): exactly the classes the map holds, no blending.
 */
export function LabelOverlay({
  labels,
  width,
  height,
  classes,
  hidden,
  opacity,
}: {
  labels: Uint8Array;
  width: number;
  height: number;
  classes: StudioClass[];
  hidden: Set<number>;
  opacity: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const lut = new Uint32Array(256);
    const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
    for (const c of classes) {
      if (c.index === 0 || hidden.has(c.index)) continue;
      const [r, g, b] = parseHexColor(c.color);
      lut[c.index] = little ? (255 << 24) | (b << 16) | (g << 8) | r : (r << 24) | (g << 16) | (b << 8) | 255;
    }
    const img = ctx.createImageData(width, height);
    const px = new Uint32Array(img.data.buffer);
    for (let i = 0; i < labels.length; i++) px[i] = lut[labels[i]];
    ctx.putImageData(img, 0, 0);
  }, [labels, width, height, classes, hidden]);
  return <canvas ref={ref} className="label-overlay" width={width} height={height} style={{ opacity }} aria-hidden />;
}
