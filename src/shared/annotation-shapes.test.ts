import { describe, expect, it } from 'vitest';
import { readShapes, shapesEnvelope } from './annotation-shapes';
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
