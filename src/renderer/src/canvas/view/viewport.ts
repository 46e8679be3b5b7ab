/**
 * Viewport maths (pure): the 2×3 matrix [zoom, 0, 0, zoom, tx, ty] that maps image pixels to canvas
 * CSS pixels, as Fabric's viewportTransform. Translations are rounded so that at whole zooms image
 * pixels land on whole screen pixels.
 */

export type Viewport = [number, number, number, number, number, number];

export const MIN_ZOOM = 1 / 32;
export const MAX_ZOOM = 64;

export function clampZoom(z: number): number {
  return Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z));
}

/** The whole image centred in a host of hostW × hostH CSS pixels, with a margin. */
export function fitViewport(hostW: number, hostH: number, imageW: number, imageH: number, margin = 12): Viewport {
  const z = clampZoom(Math.min((hostW - 2 * margin) / imageW, (hostH - 2 * margin) / imageH));
  return [z, 0, 0, z, Math.round((hostW - imageW * z) / 2), Math.round((hostH - imageH * z) / 2)];
}

/** Zoom by `factor` keeping the image point under (vx, vy) (canvas CSS px) where it is. */
export function zoomAround(v: Viewport, vx: number, vy: number, factor: number): Viewport {
  const z = clampZoom(v[0] * factor);
  const k = z / v[0];
  return [z, 0, 0, z, Math.round(vx - (vx - v[4]) * k), Math.round(vy - (vy - v[5]) * k)];
}

/** Zoom to exactly `zoom` around (vx, vy). */
export function zoomTo(v: Viewport, vx: number, vy: number, zoom: number): Viewport {
  return zoomAround(v, vx, vy, zoom / v[0]);
}

export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return [v[0], 0, 0, v[3], v[4] + dx, v[5] + dy];
}

/** Image pixel coordinates of canvas point (vx, vy). */
export function toImage(v: Viewport, vx: number, vy: number): { x: number; y: number } {
  return { x: (vx - v[4]) / v[0], y: (vy - v[5]) / v[3] };
}
