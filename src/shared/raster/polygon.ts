/**
 * Polygon scanline fill at pixel centres.
 *
 * A ring is a flat [x0, y0, x1, y1, …] list of vertices (image pixels, closed implicitly). Row y is
 * sampled at cy = y + 0.5. An edge crosses the row when it spans cy half-open (ymin ≤ cy < ymax), so a
 * vertex on the sampling line is counted once and horizontal edges never; a centre lying exactly on an
 * edge belongs to the region on the edge's right (crossings at or left of the centre count). Together
 * these make shapes that share an edge tile the plane: every pixel goes to exactly one of them.
 *
 * Crossings are turned into pixel columns with an exact comparison (products of coordinates, which is
 * exact for vertices on a 1/16-pixel grid and images up to 16384 px — the editor quantizes to it), so
 * the float position of a crossing never decides a pixel on its own.
 */
import type { CoverageMask, PixelRect, SpanSink } from './label-raster';
import { emptyMask, isEmptyRect, maskFromSpans } from './label-raster';

export type FillRule = 'nonzero' | 'evenodd';

/** A flat vertex list [x0, y0, x1, y1, …]. */
export type Ring = readonly number[];

/** A polygon with holes: rings[0] is the outline, every further ring cuts a hole out of it. */
export interface PolygonGeometry {
  rings: readonly Ring[];
  fillRule: FillRule;
}

interface Edge {
  /** Upper end (smaller y) and lower end. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** +1 when the ring runs downwards along this edge, −1 upwards (for the non-zero rule). */
  dir: number;
  /** First row whose centre the edge crosses, and one past the last. */
  rowStart: number;
  rowEnd: number;
}

function edgesOf(rings: readonly Ring[], height: number): Edge[] {
  const edges: Edge[] = [];
  for (const ring of rings) {
    const n = ring.length >> 1;
    for (let i = 0; i < n; i++) {
      const ax = ring[2 * i];
      const ay = ring[2 * i + 1];
      const j = i + 1 === n ? 0 : i + 1;
      const bx = ring[2 * j];
      const by = ring[2 * j + 1];
      if (ay === by) continue;
      const down = ay < by;
      const [x0, y0, x1, y1] = down ? [ax, ay, bx, by] : [bx, by, ax, ay];
      const rowStart = Math.max(0, Math.ceil(y0 - 0.5));
      const rowEnd = Math.min(height, Math.ceil(y1 - 0.5));
      if (rowStart < rowEnd) edges.push({ x0, y0, x1, y1, dir: down ? 1 : -1, rowStart, rowEnd });
    }
  }
  return edges.sort((a, b) => a.rowStart - b.rowStart);
}

/** True when centre column px (cx = px + 0.5) lies at or right of edge e on the row centred at cy. */
function atOrRight(e: Edge, px: number, cy: number): boolean {
  return (px + 0.5 - e.x0) * (e.y1 - e.y0) >= (cy - e.y0) * (e.x1 - e.x0);
}

/** The first pixel column whose centre lies at or right of the edge's crossing with row cy. */
function crossingColumn(e: Edge, cy: number): number {
  const xf = e.x0 + ((cy - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0);
  let px = Math.ceil(xf - 0.5);
  while (!atOrRight(e, px, cy)) px++;
  while (atOrRight(e, px - 1, cy)) px--;
  return px;
}

/**
 * Emit the spans of every row covered by the rings taken together (one compound path) under the fill
 * rule, clipped to [0, width) × [0, height).
 */
export function scanRings(rings: readonly Ring[], rule: FillRule, width: number, height: number, sink: SpanSink): void {
  const edges = edgesOf(rings, height);
  if (edges.length === 0) return;
  const active: Edge[] = [];
  let cols = new Int32Array(16);
  let dirs = new Int8Array(16);
  let next = 0;
  for (let y = edges[0].rowStart; y < height && (next < edges.length || active.length > 0); y++) {
    while (next < edges.length && edges[next].rowStart === y) active.push(edges[next++]);
    for (let k = active.length - 1; k >= 0; k--) if (active[k].rowEnd <= y) active.splice(k, 1);
    if (active.length === 0) {
      if (next < edges.length) y = edges[next].rowStart - 1;
      continue;
    }
    if (active.length > cols.length) {
      cols = new Int32Array(active.length * 2);
      dirs = new Int8Array(active.length * 2);
    }
    const cy = y + 0.5;
    const n = active.length;
    for (let k = 0; k < n; k++) {
      // Insertion sort by column as crossings arrive: rows hold few crossings.
      const c = crossingColumn(active[k], cy);
      const d = active[k].dir;
      let m = k;
      while (m > 0 && cols[m - 1] > c) {
        cols[m] = cols[m - 1];
        dirs[m] = dirs[m - 1];
        m--;
      }
      cols[m] = c;
      dirs[m] = d;
    }
    let winding = 0;
    for (let k = 0; k < n - 1; k++) {
      winding += rule === 'nonzero' ? dirs[k] : 1;
      const inside = rule === 'nonzero' ? winding !== 0 : (winding & 1) === 1;
      if (!inside) continue;
      const x0 = Math.max(0, cols[k]);
      const x1 = Math.min(width, cols[k + 1]);
      if (x0 < x1) sink(y, x0, x1);
    }
  }
}

/** Bounding rectangle of the pixels a set of rings could cover, clipped to the image. */
export function ringsBounds(rings: readonly Ring[], width: number, height: number): PixelRect {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i += 2) {
      minX = Math.min(minX, ring[i]);
      maxX = Math.max(maxX, ring[i]);
      minY = Math.min(minY, ring[i + 1]);
      maxY = Math.max(maxY, ring[i + 1]);
    }
  }
  if (minX === Infinity) return { x: 0, y: 0, width: 0, height: 0 };
  // A centre at or right of minX is covered; one at or right of maxX never is, so ceil(max − 0.5) ends it.
  const x0 = Math.max(0, Math.ceil(minX - 0.5));
  const y0 = Math.max(0, Math.ceil(minY - 0.5));
  const x1 = Math.min(width, Math.ceil(maxX - 0.5));
  const y1 = Math.min(height, Math.ceil(maxY - 0.5));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/** The pixels of a polygon with holes: inside the outline (by the rule) and inside no hole. */
export function polygonMask(geometry: PolygonGeometry, width: number, height: number): CoverageMask {
  const [outline, ...holes] = geometry.rings;
  if (!outline || outline.length < 6) return emptyMask();
  const bounds = ringsBounds([outline], width, height);
  if (isEmptyRect(bounds)) return emptyMask();
  const mask = maskFromSpans(bounds, (sink) => scanRings([outline], geometry.fillRule, width, height, sink));
  for (const hole of holes) {
    if (hole.length < 6) continue;
    scanRings([hole], geometry.fillRule, width, height, (y, x0, x1) => {
      if (y < mask.y || y >= mask.y + mask.height) return;
      const a = Math.max(x0, mask.x);
      const b = Math.min(x1, mask.x + mask.width);
      if (a < b) mask.bits.fill(0, (y - mask.y) * mask.width + a - mask.x, (y - mask.y) * mask.width + b - mask.x);
    });
  }
  return mask;
}
