/**
 * Polygons from a label map: every 4-connected region of equal class id becomes one polygon that runs
 * along pixel edges ("crack following"), with vertices on pixel corners. Pixel (x, y) covers the square
 * [x, x+1] × [y, y+1], so filling the polygon at pixel centres gives back the region exactly — except
 * holes: only the outer boundary is traced (COCO polygons and YOLO-seg cannot represent holes), so a
 * region's polygon also covers whatever lies inside it.
 */

export interface RegionPolygon {
  classId: number;
  /** Pixels in the region (holes not included). */
  area: number;
  /** Flat [x0, y0, x1, y1, …] corner coordinates, clockwise in image coordinates (y down), no repeats. */
  polygon: number[];
}

/**
 * Connected regions (4-neighbourhood, same class id) of a row-major label map. `regionOf[i]` is the
 * region number of pixel i; regions are numbered in raster order of their first pixel, `firstPixel[r]`.
 */
export function labelRegions(
  labels: Uint8Array,
  width: number,
  height: number,
): { regionOf: Int32Array; firstPixel: number[]; area: number[] } {
  if (labels.length !== width * height)
    throw new RangeError(`labels has ${labels.length} pixels, expected ${width}×${height}`);
  const regionOf = new Int32Array(width * height).fill(-1);
  const firstPixel: number[] = [];
  const area: number[] = [];
  const stack = new Int32Array(width * height);
  for (let start = 0; start < labels.length; start++) {
    if (regionOf[start] !== -1) continue;
    const r = firstPixel.length;
    const cls = labels[start];
    firstPixel.push(start);
    let n = 0;
    let top = 0;
    regionOf[start] = r;
    stack[top++] = start;
    while (top > 0) {
      const i = stack[--top];
      n++;
      const x = i % width;
      if (x > 0 && regionOf[i - 1] === -1 && labels[i - 1] === cls) {
        regionOf[i - 1] = r;
        stack[top++] = i - 1;
      }
      if (x < width - 1 && regionOf[i + 1] === -1 && labels[i + 1] === cls) {
        regionOf[i + 1] = r;
        stack[top++] = i + 1;
      }
      if (i >= width && regionOf[i - width] === -1 && labels[i - width] === cls) {
        regionOf[i - width] = r;
        stack[top++] = i - width;
      }
      if (i + width < labels.length && regionOf[i + width] === -1 && labels[i + width] === cls) {
        regionOf[i + width] = r;
        stack[top++] = i + width;
      }
    }
    area.push(n);
  }
  return { regionOf, firstPixel, area };
}

// Headings in image coordinates (y down): east, south, west, north. Turning right = index + 1.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/**
 * Outer boundary of region `region`, starting at the top-left corner of its first (raster-order) pixel,
 * whose top edge is necessarily on the outer boundary. We walk corner to corner with the region on our
 * right. At each corner the two pixels ahead decide: ahead-right outside → turn right; ahead-right and
 * ahead-left inside → turn left; otherwise straight on. Diagonal-only contacts are not 4-connections, so
 * "ahead-left inside, ahead-right outside" turns right and the boundary just touches itself there.
 */
export function traceOuterBoundary(
  regionOf: Int32Array,
  width: number,
  height: number,
  region: number,
  firstPixel: number,
): number[] {
  const inside = (px: number, py: number): boolean =>
    px >= 0 && py >= 0 && px < width && py < height && regionOf[py * width + px] === region;
  const sx = firstPixel % width;
  const sy = (firstPixel - sx) / width;
  let x = sx;
  let y = sy;
  let d = 0;
  const poly: number[] = [];
  do {
    const ndx = DX[d];
    const ndy = DY[d];
    // Pixel centres ahead-right and ahead-left of corner (x, y): corner + (d ± side)/2, floored.
    const rd = (d + 1) & 3;
    const ld = (d + 3) & 3;
    const arx = Math.floor(x + (ndx + DX[rd]) / 2);
    const ary = Math.floor(y + (ndy + DY[rd]) / 2);
    const alx = Math.floor(x + (ndx + DX[ld]) / 2);
    const aly = Math.floor(y + (ndy + DY[ld]) / 2);
    let nd: number;
    if (!inside(arx, ary)) nd = rd;
    else if (inside(alx, aly)) nd = ld;
    else nd = d;
    if (nd !== d || poly.length === 0) poly.push(x, y);
    d = nd;
    x += DX[d];
    y += DY[d];
  } while (x !== sx || y !== sy);
  // The start corner has only one region pixel around it, so the walk passes it once: arriving there
  // (heading north) closes the polygon, and the start is a real vertex (a north → east turn).
  return poly;
}

/** One polygon per 4-connected region (raster order of first pixels), leaving out regions of `skipClass`. */
export function regionPolygons(
  labels: Uint8Array,
  width: number,
  height: number,
  skipClass: number | null = null,
): RegionPolygon[] {
  const { regionOf, firstPixel, area } = labelRegions(labels, width, height);
  const out: RegionPolygon[] = [];
  for (let r = 0; r < firstPixel.length; r++) {
    const classId = labels[firstPixel[r]];
    if (classId === skipClass) continue;
    out.push({ classId, area: area[r], polygon: traceOuterBoundary(regionOf, width, height, r, firstPixel[r]) });
  }
  return out;
}
