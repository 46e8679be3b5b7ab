/**
 * COCO run-length encoding of binary masks, in pycocotools' compressed string form, so `coco.json`
 * opens in pycocotools, detectron2, mmdet and every tool built on them.
 *
 * pycocotools' RLE (maskApi.c):
 *  - the mask is read in column-major order (down each column, columns left to right);
 *  - counts alternate runs of 0s and 1s, starting with 0s (so the first count may be 0);
 *  - `rleToString`: each count x (from 0-based index 3 on: x − counts[i−2], the "delta from the run two back", which
 *    keeps numbers small because similar columns repeat) is written as signed 5-bit groups, least
 *    significant first; a char is 48 + (group | 0x20 when more groups follow); the last group's bit
 *    0x10 carries the sign, so writing stops once the remaining value is 0 (or −1 for negatives) and
 *    bit 0x10 of the group agrees.
 */

export interface CocoRle {
  /** [height, width], pycocotools' order. */
  size: [number, number];
  counts: string;
}

/**
 * Run lengths (column-major, starting with a 0-run) of the pixels of `labels` (row-major, width × height)
 * that equal `classId`.
 */
export function rleCountsForClass(labels: Uint8Array, width: number, height: number, classId: number): number[] {
  if (labels.length !== width * height)
    throw new RangeError(`labels has ${labels.length} pixels, expected ${width}×${height}`);
  const counts: number[] = [];
  let current = 0; // value of the run being counted: 0 = not the class, 1 = the class
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let i = x, y = 0; y < height; y++, i += width) {
      const v = labels[i] === classId ? 1 : 0;
      if (v !== current) {
        counts.push(run);
        run = 0;
        current = v;
      }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

/**
 * rleCountsForClass for every class present, in one column-major pass: a run of class c from p to q
 * adds (p − end of c's previous run) zeros and (q − p) ones to c's counts. Classes by ascending id.
 */
export function rleCountsAllClasses(labels: Uint8Array, width: number, height: number): Map<number, number[]> {
  if (labels.length !== width * height)
    throw new RangeError(`labels has ${labels.length} pixels, expected ${width}×${height}`);
  const n = width * height;
  const counts: (number[] | undefined)[] = new Array(256);
  const lastEnd = new Float64Array(256);
  let runClass = -1;
  let runStart = 0;
  const closeRun = (end: number): void => {
    let c = counts[runClass];
    if (!c) c = counts[runClass] = [];
    c.push(runStart - lastEnd[runClass], end - runStart);
    lastEnd[runClass] = end;
  };
  let p = 0;
  for (let x = 0; x < width; x++) {
    for (let i = x; i < n; i += width, p++) {
      const v = labels[i];
      if (v !== runClass) {
        if (runClass >= 0) closeRun(p);
        runClass = v;
        runStart = p;
      }
    }
  }
  if (runClass >= 0) closeRun(n);
  const out = new Map<number, number[]>();
  for (let c = 0; c < 256; c++) {
    const cc = counts[c];
    if (!cc) continue;
    if (lastEnd[c] < n) cc.push(n - lastEnd[c]); // trailing zeros
    out.set(c, cc);
  }
  return out;
}

/** pycocotools' `rleToString`: run lengths → compressed ASCII string. */
export function rleCountsToString(counts: readonly number[]): string {
  const chars: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i];
    if (i > 2) x -= counts[i - 2];
    let more = true;
    while (more) {
      let c = x & 0x1f;
      x >>= 5; // arithmetic shift: negative deltas keep their sign
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      chars.push(c + 48);
    }
  }
  return String.fromCharCode(...chars);
}

/** pycocotools' `rleFrString`: compressed ASCII string → run lengths. */
export function rleCountsFromString(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) throw new RangeError('The RLE string ends in the middle of a number.');
      const c = s.charCodeAt(p) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
  }
  return counts;
}

/** Compressed COCO RLE of the pixels equal to `classId`. */
export function encodeClassRle(labels: Uint8Array, width: number, height: number, classId: number): CocoRle {
  return { size: [height, width], counts: rleCountsToString(rleCountsForClass(labels, width, height, classId)) };
}

export interface ClassExtent {
  classId: number;
  /** Pixel count. */
  area: number;
  /** [x, y, width, height] of the pixels' bounding box, in pixels (COCO's bbox). */
  bbox: [number, number, number, number];
}

/** Area and bounding box of every class present in `labels`, by ascending class id. */
export function classExtents(labels: Uint8Array, width: number, height: number): ClassExtent[] {
  const area = new Float64Array(256);
  const minX = new Int32Array(256).fill(width);
  const minY = new Int32Array(256).fill(height);
  const maxX = new Int32Array(256).fill(-1);
  const maxY = new Int32Array(256).fill(-1);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const c = labels[i];
      area[c]++;
      if (x < minX[c]) minX[c] = x;
      if (x > maxX[c]) maxX[c] = x;
      if (y < minY[c]) minY[c] = y;
      if (y > maxY[c]) maxY[c] = y;
    }
  }
  const out: ClassExtent[] = [];
  for (let c = 0; c < 256; c++) {
    if (area[c] === 0) continue;
    out.push({ classId: c, area: area[c], bbox: [minX[c], minY[c], maxX[c] - minX[c] + 1, maxY[c] - minY[c] + 1] });
  }
  return out;
}
