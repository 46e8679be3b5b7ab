/** Pure edits and hit tests on polygon shapes (vertex index k of ring r is rings[r][2k], rings[r][2k+1]). */
import type { PolygonShape } from '../../../../../shared/annotation-shapes';
import type { Point } from '../../model/editor-events';

export interface VertexRef {
  ring: number;
  index: number;
}

function vertexCount(shape: PolygonShape, ring: number): number {
  return shape.rings[ring].length / 2;
}

function withRing(shape: PolygonShape, ring: number, next: number[] | null): PolygonShape {
  const rings = shape.rings.map((r, i) => (i === ring ? next : r)).filter((r): r is number[] => r !== null);
  return { ...shape, rings };
}

/** The vertex within `radius` of p, nearest first (holes before the outline when tied). */
export function hitVertex(shape: PolygonShape, p: Point, radius: number): VertexRef | null {
  let best: VertexRef | null = null;
  let bestD = radius * radius;
  shape.rings.forEach((ring, r) => {
    for (let k = 0; k < ring.length / 2; k++) {
      const d = (ring[2 * k] - p.x) ** 2 + (ring[2 * k + 1] - p.y) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = { ring: r, index: k };
      }
    }
  });
  return best;
}

/** The edge within `radius` of p: a new vertex there gets index `index` (after the edge's start). */
export function hitEdge(shape: PolygonShape, p: Point, radius: number): VertexRef | null {
  let best: VertexRef | null = null;
  let bestD = radius * radius;
  shape.rings.forEach((ring, r) => {
    const n = ring.length / 2;
    for (let k = 0; k < n; k++) {
      const ax = ring[2 * k],
        ay = ring[2 * k + 1];
      const bx = ring[(2 * k + 2) % ring.length],
        by = ring[(2 * k + 3) % ring.length];
      const dx = bx - ax,
        dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - ax) * dx + (p.y - ay) * dy) / len2));
      const d = (ax + t * dx - p.x) ** 2 + (ay + t * dy - p.y) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = { ring: r, index: k + 1 };
      }
    }
  });
  return best;
}

export function moveVertex(shape: PolygonShape, v: VertexRef, p: Point): PolygonShape {
  const ring = [...shape.rings[v.ring]];
  ring[2 * v.index] = p.x;
  ring[2 * v.index + 1] = p.y;
  return withRing(shape, v.ring, ring);
}

export function insertVertex(shape: PolygonShape, v: VertexRef, p: Point): PolygonShape {
  const ring = [...shape.rings[v.ring]];
  ring.splice(2 * v.index, 0, p.x, p.y);
  return withRing(shape, v.ring, ring);
}

/**
 * The shape without that vertex. A hole left with fewer than 3 vertices disappears; an outline left
 * with fewer than 3 leaves no shape (null).
 */
export function deleteVertex(shape: PolygonShape, v: VertexRef): PolygonShape | null {
  if (vertexCount(shape, v.ring) <= 3) return v.ring === 0 ? null : withRing(shape, v.ring, null);
  const ring = [...shape.rings[v.ring]];
  ring.splice(2 * v.index, 2);
  return withRing(shape, v.ring, ring);
}

export function addHole(shape: PolygonShape, hole: readonly number[]): PolygonShape {
  return { ...shape, rings: [...shape.rings, [...hole]] };
}

export function sameGeometry(a: PolygonShape, b: PolygonShape): boolean {
  return (
    a.fillRule === b.fillRule &&
    a.rings.length === b.rings.length &&
    a.rings.every((r, i) => r.length === b.rings[i].length && r.every((v, k) => v === b.rings[i][k]))
  );
}
