import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { strokeMask } from '../brush';
import type { LabelDiff } from '../diff';
import { applyDiff, diffBytes, squashDiffs } from '../diff';
import { floodRegion } from '../flood-fill';
import type { LabelRaster, LockTable } from '../label-raster';
import { lockTable } from '../label-raster';
import { paintMask, repaintRegion, replacePixels } from '../paint';
import { polygonMask } from '../polygon';
import { art, toArt } from './pixel-art';

const W = 24;
const H = 20;

type Op =
  | { kind: 'stroke'; points: number[]; size: number; cls: number }
  | { kind: 'polygon'; ring: number[]; cls: number }
  | { kind: 'fill'; x: number; y: number; cls: number }
  | { kind: 'replace'; labels: Uint8Array }
  | { kind: 'move'; from: number[]; to: number[]; cls: number };

const coord = fc.integer({ min: -32, max: 26 * 16 }).map((v) => v / 16);
const cls = fc.integer({ min: 0, max: 4 });
const ring = fc.array(fc.tuple(coord, coord), { minLength: 3, maxLength: 6 }).map((p) => p.flat());
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('stroke' as const),
    points: fc.array(coord, { minLength: 2, maxLength: 8 }).map((p) => (p.length % 2 ? p.slice(1) : p)),
    size: fc.integer({ min: 1, max: 9 }),
    cls,
  }),
  fc.record({ kind: fc.constant('polygon' as const), ring, cls }),
  fc.record({
    kind: fc.constant('fill' as const),
    x: fc.integer({ min: 0, max: W - 1 }),
    y: fc.integer({ min: 0, max: H - 1 }),
    cls,
  }),
  fc.record({
    kind: fc.constant('replace' as const),
    labels: fc.uint8Array({ minLength: W * H, maxLength: W * H, min: 0, max: 4 }),
  }),
  fc.record({ kind: fc.constant('move' as const), from: ring, to: ring, cls }),
);
const map = fc
  .uint8Array({ minLength: W * H, maxLength: W * H, min: 0, max: 4 })
  .map((pixels): LabelRaster => ({ width: W, height: H, pixels }));
const locks = fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }).map((ids) => lockTable(ids));

function run(r: LabelRaster, o: Op, l: LockTable): LabelDiff | null {
  switch (o.kind) {
    case 'stroke':
      return paintMask(r, strokeMask(o.points, o.size, W, H), o.cls, l);
    case 'polygon':
      return paintMask(r, polygonMask({ rings: [o.ring], fillRule: 'nonzero' }, W, H), o.cls, l);
    case 'fill':
      return paintMask(r, floodRegion(r, o.x, o.y), o.cls, l);
    case 'replace':
      return replacePixels(r, o.labels, l);
    case 'move':
      return repaintRegion(
        r,
        polygonMask({ rings: [o.from], fillRule: 'nonzero' }, W, H),
        polygonMask({ rings: [o.to], fillRule: 'nonzero' }, W, H),
        o.cls,
        l,
      );
  }
}

describe('edits and their diffs', () => {
  it('undo restores the map and redo repeats the edit, for every kind of edit', () => {
    fc.assert(
      fc.property(map, fc.array(op, { minLength: 1, maxLength: 6 }), locks, (m, ops, l) => {
        const states = [m.pixels.slice()];
        const diffs: LabelDiff[] = [];
        for (const o of ops) {
          const d = run(m, o, l);
          if (d) {
            diffs.push(d);
            expect(d.before).not.toEqual(d.after);
          } else expect(m.pixels).toEqual(states[states.length - 1]);
          states.push(m.pixels.slice());
        }
        const end = m.pixels.slice();
        for (let k = diffs.length - 1; k >= 0; k--) applyDiff(m, diffs[k], 'undo');
        expect(m.pixels).toEqual(states[0]);
        for (const d of diffs) applyDiff(m, d, 'redo');
        expect(m.pixels).toEqual(end);
      }),
      { numRuns: 300 },
    );
  });

  it('squashes a run of diffs into one that undoes and redoes them all', () => {
    fc.assert(
      fc.property(map, fc.array(op, { minLength: 1, maxLength: 6 }), (m, ops) => {
        const start = m.pixels.slice();
        const diffs = ops.map((o) => run(m, o, lockTable())).filter((d): d is LabelDiff => d !== null);
        const end = m.pixels.slice();
        const one = squashDiffs(m, diffs);
        if (!one) {
          expect(end).toEqual(start);
          return;
        }
        applyDiff(m, one, 'undo');
        expect(m.pixels).toEqual(start);
        applyDiff(m, one, 'redo');
        expect(m.pixels).toEqual(end);
      }),
      { numRuns: 300 },
    );
  });

  it('never changes a pixel of a locked class', () => {
    fc.assert(
      fc.property(map, fc.array(op, { minLength: 1, maxLength: 6 }), locks, (m, ops, l) => {
        const start = m.pixels.slice();
        for (const o of ops) run(m, o, l);
        for (let i = 0; i < start.length; i++) if (l[start[i]]) expect(m.pixels[i]).toBe(start[i]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a diff to the bounding box of what changed', () => {
    const m = art(['......', '......', '......', '......']);
    const d = paintMask(m, strokeMask([2.5, 1.5, 3.5, 1.5], 1, 6, 4), 3, lockTable())!;
    expect([d.x, d.y, d.width, d.height]).toEqual([2, 1, 2, 1]);
    expect(diffBytes(d)).toBe(4);
    expect(paintMask(m, strokeMask([2.5, 1.5], 1, 6, 4), 3, lockTable())).toBeNull();
  });

  it('moves a region: newly covered pixels take the class, uncovered ones of that class go to background', () => {
    const m = art(['......', '.##...', '.#22..', '......']);
    // Class 1 square at x 1–2, y 1–2 (pixel 2,2 was painted over with class 2); move it one pixel right.
    const d = repaintRegion(
      m,
      polygonMask({ rings: [[1, 1, 3, 1, 3, 3, 1, 3]], fillRule: 'nonzero' }, 6, 4),
      polygonMask({ rings: [[2, 1, 4, 1, 4, 3, 2, 3]], fillRule: 'nonzero' }, 6, 4),
      1,
      lockTable(),
    );
    expect(d).not.toBeNull();
    expect(toArt(m)).toEqual(['......', '..##..', '..2#..', '......']);
  });

  it('takes a prediction except where a class is locked', () => {
    const m = art(['1122', '1122']);
    replacePixels(m, art(['3333', '3333']).pixels, lockTable([2]));
    expect(toArt(m)).toEqual(['3322', '3322']);
  });
});
