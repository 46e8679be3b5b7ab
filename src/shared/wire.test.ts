import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, fromWire, toBase64, toWire } from './wire';

describe('wire JSON', () => {
  it('round-trips bytes through base64', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
        expect(fromBase64(toBase64(bytes))).toEqual(bytes);
      }),
    );
    expect(toBase64(new TextEncoder().encode('Man'))).toBe('TWFu');
    expect(toBase64(new TextEncoder().encode('Ma'))).toBe('TWE=');
  });

  it('brings typed arrays back as the same typed arrays, inside any JSON', () => {
    fc.assert(
      fc.property(fc.uint8Array(), fc.float32Array({ noNaN: true }), fc.string(), (u8, f32, s) => {
        const back = fromWire(toWire({ a: u8, nested: [{ f32, s }], n: 3 })) as {
          a: Uint8Array;
          nested: [{ f32: Float32Array; s: string }];
          n: number;
        };
        expect(back.a).toBeInstanceOf(Uint8Array);
        expect(back.a).toEqual(u8);
        expect(back.nested[0].f32).toBeInstanceOf(Float32Array);
        expect(Array.from(back.nested[0].f32)).toEqual(Array.from(f32));
        expect(back.nested[0].s).toBe(s);
        expect(back.n).toBe(3);
      }),
    );
  });

  it('encodes a view, not the whole buffer behind it', () => {
    const big = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(fromWire(toWire(big.subarray(2, 4)))).toEqual(new Uint8Array([3, 4]));
  });
});
