/**
 * Class colours: the Pascal VOC palette (bit-interleaved class index), the de-facto standard for
 * indexed segmentation PNGs, so our colour PNGs look like every other tool's. Index 0 is black.
 */

/** [r, g, b] of class index i (0–255) in the VOC palette. */
export function vocColor(index: number): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  let c = index;
  for (let j = 0; j < 8; j++) {
    r |= ((c >> 0) & 1) << (7 - j);
    g |= ((c >> 1) & 1) << (7 - j);
    b |= ((c >> 2) & 1) << (7 - j);
    c >>= 3;
  }
  return [r, g, b];
}

/** The full 256-entry palette as 768 bytes (r, g, b, r, g, b, …), for indexed PNGs. */
export function vocPalette(): Uint8Array {
  const p = new Uint8Array(768);
  for (let i = 0; i < 256; i++) p.set(vocColor(i), i * 3);
  return p;
}

export function hexColor([r, g, b]: readonly number[]): string {
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
}

export function parseHexColor(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new RangeError(`"${hex}" is not a colour of the form #rrggbb`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** Default colour of class i as #rrggbb. */
export function paletteColor(index: number): string {
  return hexColor(vocColor(index));
}
