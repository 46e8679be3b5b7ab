import { describe, expect, it } from 'vitest';
import {
  classExtents,
  encodeClassRle,
  rleCountsAllClasses,
  rleCountsForClass,
  rleCountsFromString,
  rleCountsToString,
} from '../../../shared/coco-rle';
import { SeededRng } from '../../../shared/rng';
import { decodeCocoRle } from './coco-decoder';

describe('COCO RLE (pycocotools compressed strings)', () => {
  it('encodes small known masks', () => {
    // 2×2 all ones: runs [0, 4] → "0" and "4".
    expect(encodeClassRle(new Uint8Array([1, 1, 1, 1]), 2, 2, 1)).toEqual({ size: [2, 2], counts: '04' });
    // Column-major: rows [0 1; 0 1] → column 0 = 0,0; column 1 = 1,1 → runs [2, 2].
    expect(rleCountsForClass(new Uint8Array([0, 1, 0, 1]), 2, 2, 1)).toEqual([2, 2]);
    // A run of 40 needs two groups: 40 = 8 + 32·1 → chars 48+(8|0x20)=88 'X', 48+1 '1'.
    expect(rleCountsToString([40])).toBe('X1');
    // Deltas start at index 3: [5, 10, 3, 7] stores 5, 10, 3, then 7 − 10 = −3 → 5-bit two's complement
    // 29 (sign bit 0x10 set, nothing more to write) → char 48 + 29 = 'M'.
    expect(rleCountsToString([5, 10, 3, 7])).toBe('5:3M');
  });

  it('round-trips random masks through both decoders', () => {
    for (let t = 0; t < 200; t++) {
      const rng = new SeededRng(1000 + t);
      const w = 1 + Math.floor(rng.nextDouble() * 40);
      const h = 1 + Math.floor(rng.nextDouble() * 40);
      const density = rng.nextDouble();
      const runny = rng.nextDouble() < 0.5;
      const labels = new Uint8Array(w * h);
      let v = 0;
      for (let i = 0; i < labels.length; i++) {
        if (!runny || rng.nextDouble() < 0.05) v = rng.nextDouble() < density ? 3 : 0;
        labels[i] = v;
      }
      const rle = encodeClassRle(labels, w, h, 3);
      const expected = Uint8Array.from(labels, (x) => (x === 3 ? 1 : 0));
      expect([...decodeCocoRle(rle.counts, h, w)]).toEqual([...expected]);
      expect(rleCountsFromString(rle.counts)).toEqual(rleCountsForClass(labels, w, h, 3));
    }
  });

  it('computes every class in one pass exactly as class by class', () => {
    for (let t = 0; t < 100; t++) {
      const rng = new SeededRng(5000 + t);
      const w = 1 + Math.floor(rng.nextDouble() * 30);
      const h = 1 + Math.floor(rng.nextDouble() * 30);
      const classes = 1 + Math.floor(rng.nextDouble() * 5);
      const labels = new Uint8Array(w * h);
      let v = 0;
      for (let i = 0; i < labels.length; i++) {
        if (rng.nextDouble() < 0.3) v = Math.floor(rng.nextDouble() * classes) * 7;
        labels[i] = v;
      }
      const all = rleCountsAllClasses(labels, w, h);
      expect([...all.keys()]).toEqual([...new Set(labels)].sort((a, b) => a - b));
      for (const [c, counts] of all)
        expect(counts, `trial ${t} class ${c}`).toEqual(rleCountsForClass(labels, w, h, c));
    }
  });

  it('handles counts that need many groups (large images)', () => {
    const counts = [0, 1_000_000, 3, 999_990, 7, 17];
    expect(rleCountsFromString(rleCountsToString(counts))).toEqual(counts);
  });

  it('reports area and bbox per class', () => {
    const labels = new Uint8Array([0, 2, 2, 0, 0, 2, 1, 0, 0]); // 3×3
    expect(classExtents(labels, 3, 3)).toEqual([
      { classId: 0, area: 5, bbox: [0, 0, 3, 3] },
      { classId: 1, area: 1, bbox: [0, 2, 1, 1] },
      { classId: 2, area: 3, bbox: [1, 0, 2, 2] },
    ]);
  });
});
