import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readEnvelope, unversionedHistory, type EnvelopeError, type EnvelopeHistory } from './envelope';
import { isUserError } from './errors';

/** A document with a history: version 1 (which had no version field yet) named the field `n`, version 2 calls it `count`, version 3 adds `unit`. */
const V1 = z.object({ format: z.literal('demo'), version: z.literal(1).optional(), n: z.number() });
const V2 = z.object({ format: z.literal('demo'), version: z.literal(2), count: z.number() });
const V3 = z.object({ format: z.literal('demo'), version: z.literal(3), count: z.number(), unit: z.string() });
const HISTORY: EnvelopeHistory<z.infer<typeof V3>> = {
  format: 'demo',
  version: 3,
  schema: V3,
  unversioned: 1,
  older: {
    1: { schema: V1, up: (d: z.infer<typeof V1>) => ({ format: 'demo', version: 2, count: d.n }) },
    2: { schema: V2, up: (d: z.infer<typeof V2>) => ({ ...d, version: 3, unit: 'px' }) },
  },
};
const PLACE = { what: 'The demo document in x.dgs', fix: 'restore a backup copy' };

function refusal(value: unknown, history: EnvelopeHistory<unknown> = HISTORY): EnvelopeError {
  try {
    readEnvelope(history, value, PLACE);
  } catch (e) {
    expect(isUserError(e)).toBe(true);
    return e as EnvelopeError;
  }
  throw new Error(`${JSON.stringify(value)} was read`);
}

describe('readEnvelope', () => {
  it("reads today's version as it is", () => {
    const today = { format: 'demo', version: 3, count: 4, unit: 'mm' };
    expect(readEnvelope(HISTORY, today, PLACE)).toEqual(today);
  });

  it('brings older versions up step by step, a missing version being the first', () => {
    expect(readEnvelope(HISTORY, { format: 'demo', version: 1, n: 4 }, PLACE)).toEqual({
      format: 'demo',
      version: 3,
      count: 4,
      unit: 'px',
    });
    expect(readEnvelope(HISTORY, { format: 'demo', n: 5 }, PLACE)).toMatchObject({ version: 3, count: 5 });
    expect(readEnvelope(HISTORY, { format: 'demo', version: 2, count: 6 }, PLACE)).toMatchObject({ count: 6 });
  });

  it('refuses a newer version with a sentence that says to update', () => {
    const e = refusal({ format: 'demo', version: 4, count: 1 });
    expect(e.reason).toBe('newer');
    expect(e.message).toBe(
      'The demo document in x.dgs was written by a newer DatasetGAN Studio (version 4; this build reads up to 3); update DatasetGAN Studio to read it.',
    );
  });

  it('calls anything else damaged, naming what is wrong and what to do', () => {
    const cases: [unknown, RegExp][] = [
      [{ format: 'demo', version: 3, count: 'four', unit: 'px' }, /\(count: .+\)/],
      [{ format: 'demo', version: 1, n: null }, /\(n: .+\)/],
      [{ format: 'other', version: 3, count: 1, unit: 'px' }, /it is a "other" document, not "demo"/],
      [{ format: 'demo', version: '3' }, /its version is not a number/],
      [{ format: 'demo', version: 0 }, /version 0 never existed/],
      ['text', /\(.+\)/],
      [null, /\(.+\)/],
    ];
    for (const [value, detail] of cases) {
      const e = refusal(value);
      expect(e.reason).toBe('damaged');
      expect(e.message).toMatch(/^The demo document in x\.dgs is damaged \(.+\); restore a backup copy\.$/);
      expect(e.message).toMatch(detail);
    }
  });

  it('reads a document that never had a version as version 1, and refuses one from a later build', () => {
    const history = unversionedHistory(z.object({ done: z.number() }));
    expect(readEnvelope(history, { done: 3 }, PLACE)).toEqual({ done: 3 });
    expect(refusal({ done: 3, version: 2 }, history).reason).toBe('newer');
    expect(refusal({ done: 'x' }, history).reason).toBe('damaged');
  });
});
