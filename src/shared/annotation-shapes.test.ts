import { describe, expect, it } from 'vitest';
import { readShapes, SavedShapesSchema, shapesEnvelope, shapesForEditing } from './annotation-shapes';
import { isUserError } from './errors';

const square = {
  id: 'a',
  kind: 'polygon' as const,
  classId: 2,
  rings: [[1, 1, 4, 1, 4, 4]],
  fillRule: 'nonzero' as const,
};

describe('annotation shapes envelope', () => {
  it('round-trips through JSON', () => {
    const text = JSON.stringify(shapesEnvelope([square]));
    expect(readShapes(JSON.parse(text))).toEqual([square]);
  });

  it('reads null and [] as no shapes (annotations imported from label files)', () => {
    expect(readShapes(null)).toEqual([]);
    expect(readShapes([])).toEqual([]);
  });

  it('refuses damaged envelopes and newer versions with a sentence', () => {
    const bad = [
      { format: 'dgs-shapes', version: 1, shapes: [{ ...square, rings: [[1, 2, 3]] }] },
      { shapes: [] },
      'x',
      { format: 'dgs-shapes', version: 2, shapes: [] },
    ];
    for (const v of bad) {
      let err: unknown;
      try {
        readShapes(v);
      } catch (e) {
        err = e;
      }
      expect(isUserError(err)).toBe(true);
    }
    expect(() => readShapes({ format: 'dgs-shapes', version: 2, shapes: [] })).toThrow(/newer/);
  });
});

describe('annotation shapes, by version', () => {
  const place = { what: 'The shape list in x.dgs', fix: 'redraw them' };

  it('reads bare values from before the envelope: null and [] as none, anything else as damaged', () => {
    expect(shapesForEditing(null, place)).toEqual({ envelope: null, dropped: null });
    expect(shapesForEditing([], place)).toEqual({ envelope: null, dropped: null });
    const older = [{ type: 'polygon', classIndex: 2, points: [[4, 4]] }];
    expect(shapesForEditing(older, place)).toEqual({
      envelope: null,
      dropped: 'The shape list in x.dgs is damaged (not a "dgs-shapes" list); redraw them.',
    });
  });

  it("gives today's envelope back, drops a damaged one with its sentence, and refuses a newer one", () => {
    const today = shapesEnvelope([square]);
    expect(shapesForEditing(JSON.parse(JSON.stringify(today)), place)).toEqual({ envelope: today, dropped: null });
    const broken = { ...today, shapes: [{ ...square, classId: 'two' }] };
    expect(shapesForEditing(broken, place).dropped).toMatch(
      /^The shape list in x\.dgs is damaged \(shapes\.0\.classId: /,
    );
    expect(() => shapesForEditing({ ...today, version: 2 }, place)).toThrow(
      'The shape list in x.dgs was written by a newer DatasetGAN Studio (version 2; this build reads up to 1); update DatasetGAN Studio to read it.',
    );
  });

  it('lets annotation:save store none or a valid envelope, nothing else', () => {
    for (const ok of [null, [], shapesEnvelope([square])]) expect(SavedShapesSchema.safeParse(ok).success).toBe(true);
    for (const bad of [
      { tag: 1 },
      ['x'],
      { ...shapesEnvelope([square]), version: 2 },
      shapesEnvelope([{ ...square, rings: [] }]),
    ])
      expect(SavedShapesSchema.safeParse(bad).success).toBe(false);
  });
});
