/**
 * Test helpers: label maps drawn as text ('.' = 0, '#' = 1, digits = that class) and independent,
 * brute-force references (one pixel at a time, no spans or sorting) for the rasterizers.
 */
import type { CoverageMask, LabelRaster } from '../label-raster';
import type { FillRule, Ring } from '../polygon';

export function art(rows: readonly string[]): LabelRaster {
  const height = rows.length;
  const width = rows[0].length;
  const pixels = new Uint8Array(width * height);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) pixels[y * width + x] = row[x] === '#' ? 1 : row[x] === '.' ? 0 : Number(row[x]);
  });
  return { width, height, pixels };
}

export function toArt(r: LabelRaster): string[] {
  const rows: string[] = [];
  for (let y = 0; y < r.height; y++) {
    let s = '';
    for (let x = 0; x < r.width; x++) {
      const v = r.pixels[y * r.width + x];
      s += v === 0 ? '.' : v === 1 ? '#' : String(v);
    }
    rows.push(s);
  }
  return rows;
}

/** A mask spread onto a whole width × height map (1 = covered). */
export function maskToMap(m: CoverageMask, width: number, height: number): LabelRaster {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) if (m.bits[y * m.width + x]) pixels[(m.y + y) * width + m.x + x] = 1;
  }
  return { width, height, pixels };
}

/**
 * Winding number of the rings around point (cx, cy): an edge counts when ymin ≤ cy < ymax and its
 * crossing lies at or left of cx (decided by the sign of a cross product).
 */
export function windingAt(rings: readonly Ring[], cx: number, cy: number): number {
  let w = 0;
  for (const ring of rings) {
    const n = ring.length / 2;
    for (let i = 0; i < n; i++) {
      const ax = ring[2 * i],
        ay = ring[2 * i + 1];
      const bx = ring[(2 * i + 2) % ring.length],
        by = ring[(2 * i + 3) % ring.length];
      if (ay === by) continue;
      const [x0, y0, x1, y1, dir] = ay < by ? [ax, ay, bx, by, 1] : [bx, by, ax, ay, -1];
      if (!(y0 <= cy && cy < y1)) continue;
      // Crossing at or left of cx ⇔ (cx − x0)(y1 − y0) ≥ (cy − y0)(x1 − x0).
      if ((cx - x0) * (y1 - y0) >= (cy - y0) * (x1 - x0)) w += dir;
    }
  }
  return w;
}

export function referencePolygon(rings: readonly Ring[], rule: FillRule, width: number, height: number): LabelRaster {
  const pixels = new Uint8Array(width * height);
  const inside = (ring: readonly Ring[], x: number, y: number): boolean => {
    const w = windingAt(ring, x + 0.5, y + 0.5);
    return rule === 'nonzero' ? w !== 0 : Math.abs(w) % 2 === 1;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (inside([rings[0]], x, y) && !rings.slice(1).some((h) => inside([h], x, y))) pixels[y * width + x] = 1;
    }
  }
  return { width, height, pixels };
}

/** Squared distance from (px, py) to segment a–b, exact in BigInt over 1/16-pixel units (returned ×16⁴ as a fraction num/den). */
function dist2Fraction(px: bigint, py: bigint, ax: bigint, ay: bigint, bx: bigint, by: bigint): [bigint, bigint] {
  const dx = bx - ax,
    dy = by - ay;
  const ex = px - ax,
    ey = py - ay;
  const len2 = dx * dx + dy * dy;
  const dot = dx * ex + dy * ey;
  if (len2 === 0n || dot <= 0n) return [ex * ex + ey * ey, 1n];
  if (dot >= len2) return [(px - bx) ** 2n + (py - by) ** 2n, 1n];
  const cross = dx * ey - dy * ex;
  return [cross * cross, len2];
}

/** Pixels within size/2 of the polyline through already snapped points (exact, BigInt). */
export function referenceStroke(snapped: readonly number[], size: number, width: number, height: number): LabelRaster {
  const pixels = new Uint8Array(width * height);
  const q = (v: number): bigint => BigInt(Math.round(v * 16));
  const rr = BigInt(size * 8) ** 2n; // (size/2 · 16)²
  const n = snapped.length / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cx = q(x + 0.5),
        cy = q(y + 0.5);
      for (let i = 0; i < Math.max(1, n - 1); i++) {
        const j = n === 1 ? 0 : i + 1;
        const [num, den] = dist2Fraction(
          cx,
          cy,
          q(snapped[2 * i]),
          q(snapped[2 * i + 1]),
          q(snapped[2 * j]),
          q(snapped[2 * j + 1]),
        );
        if (num <= rr * den) {
          pixels[y * width + x] = 1;
          break;
        }
      }
    }
  }
  return { width, height, pixels };
}
