import { describe, expect, it } from 'vitest';
import { ENSEMBLE_MEMBERS, numberSchema, readNumberField, SAMPLES_TO_ADD } from './number-fields';

describe('readNumberField', () => {
  it.each([
    ['8', { value: 8 }],
    [' 1,000 ', { value: 1000 }],
    ['1e3', { value: 1000 }],
    ['0', { error: '0 is out of range; enter a whole number from 1 to 10,000.' }],
    ['-5', { error: '-5 is out of range; enter a whole number from 1 to 10,000.' }],
    ['2.5', { error: '2.5 is not a whole number; enter a whole number from 1 to 10,000.' }],
    ['100000', { error: '100,000 is out of range; enter a whole number from 1 to 10,000.' }],
    ['abc', { error: '“abc” is not a number; enter a whole number from 1 to 10,000.' }],
    ['', { error: 'Enter a whole number from 1 to 10,000.' }],
  ])('reads %j', (text, want) => {
    expect(readNumberField(SAMPLES_TO_ADD, text)).toEqual(want);
  });

  it('accepts exactly what the API schema accepts', () => {
    const schema = numberSchema(ENSEMBLE_MEMBERS);
    for (const text of ['0', '1', '64', '65', '3.5', '-1', '1e9', 'x', ''])
      expect('value' in readNumberField(ENSEMBLE_MEMBERS, text), text).toBe(
        schema.safeParse(Number(text || 'x')).success,
      );
  });
});
