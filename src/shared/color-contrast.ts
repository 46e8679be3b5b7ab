/**
 * Colour contrast as WCAG 2 defines it (relative luminance of sRGB colours, ratio 1–21), for UI that
 * must stay visible on either theme: a class swatch too close to the panel behind it gets an outline.
 */

export type Rgb = readonly [number, number, number];

/** '#rrggbb', 'rgb(r, g, b)' or 'rgba(r, g, b, a)' as 0–255 channels; null for anything else (or a transparent rgba). */
export function parseColor(text: string): Rgb | null {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(text.trim());
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  const fn = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,/\s]+([\d.]+))?\s*\)$/i.exec(text.trim());
  if (!fn || (fn[4] !== undefined && Number(fn[4]) === 0)) return null;
  return [Number(fn[1]), Number(fn[2]), Number(fn[3])];
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Below this a small swatch blurs into its background (white on white is 1, black on a dark panel about 1.5). */
export const SWATCH_MIN_CONTRAST = 2;

/** Whether a swatch of `color` on `backdrop` needs an outline to be seen. */
export function swatchNeedsOutline(color: string, backdrop: Rgb | null): boolean {
  const c = parseColor(color);
  return c !== null && backdrop !== null && contrastRatio(c, backdrop) < SWATCH_MIN_CONTRAST;
}
