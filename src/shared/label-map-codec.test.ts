import { describe, expect, it } from 'vitest';
import { zlibSync } from 'fflate';
import { adler32, decodeLabelMap, encodeLabelMap, LABEL_MAP_HEADER_BYTES, peekLabelMapSize } from './label-map-codec';

/** A 256×256 map of nested rectangles plus a noisy band: runs and single pixels, every class id 0–255. */
function sampleMap(width: number, height: number): Uint8Array {
  const m = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const ring = Math.min(x, y, width - 1 - x, height - 1 - y);
      m[y * width + x] = y === 7 ? (x * 37 + 11) & 255 : Math.floor(ring / 8) % 9;
    }
  }
  return m;
}

describe('label-map codec', () => {
  it('round-trips maps of several shapes exactly', () => {
    for (const [w, h] of [
      [1, 1],
      [3, 5],
      [256, 256],
      [640, 480],
      [17, 1],
    ]) {
      const pixels = sampleMap(w, h);
      const bytes = encodeLabelMap(pixels, w, h);
      expect(peekLabelMapSize(bytes)).toEqual({ width: w, height: h });
      const back = decodeLabelMap(bytes);
      expect(back.width).toBe(w);
      expect(back.height).toBe(h);
      expect(back.pixels).toEqual(pixels);
    }
  });

  it('writes the documented header and compresses runs', () => {
    const pixels = sampleMap(512, 512);
    const bytes = encodeLabelMap(pixels, 512, 512);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x44, 0x47, 0x4c, 0x4d, 1, 0, 0, 0]);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getUint32(8, true)).toBe(512);
    expect(view.getUint32(12, true)).toBe(512);
    expect(bytes.length).toBeLessThan(pixels.length / 20);
  });

  it('computes Adler-32 as zlib does', () => {
    const data = sampleMap(300, 70);
    const z = zlibSync(data);
    const stored = new DataView(z.buffer, z.byteOffset).getUint32(z.length - 4, false);
    expect(adler32(data)).toBe(stored);
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
  });

  it('refuses wrong input to encode with a sentence', () => {
    expect(() => encodeLabelMap(new Uint8Array(5), 2, 2)).toThrow(/needs 4 pixels but 5/);
    expect(() => encodeLabelMap(new Uint8Array(0), 0, 0)).toThrow(/width must be a whole number/);
  });

  it('refuses every kind of corrupt input with a UserError sentence', () => {
    const good = encodeLabelMap(sampleMap(64, 48), 64, 48);
    const mutate = (f: (b: Uint8Array) => void): Uint8Array => {
      const b = good.slice();
      f(b);
      return b;
    };
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(3), /too short/],
      [mutate((b) => (b[0] = 0x50)), /not an encoded label map/],
      [mutate((b) => (b[4] = 9)), /codec version 9/],
      [mutate((b) => (b[5] = 1)), /unknown pixel encoding/],
      [mutate((b) => new DataView(b.buffer).setUint32(8, 0, true)), /impossible/],
      [mutate((b) => new DataView(b.buffer).setUint32(8, 65, true)), /decompresses to more bytes|damaged/],
      [mutate((b) => new DataView(b.buffer).setUint32(12, 47, true)), /decompresses to more/],
      [mutate((b) => new DataView(b.buffer).setUint32(12, 49, true)), /decompresses to 3072 bytes instead of 3136/],
      [good.subarray(0, good.length - 9), /damaged/],
      [mutate((b) => (b[b.length - 1] ^= 1)), /checksum/],
      [mutate((b) => (b[LABEL_MAP_HEADER_BYTES] = 0xff)), /cannot be decompressed/],
    ];
    for (const [bytes, message] of cases) {
      let caught: unknown;
      try {
        decodeLabelMap(bytes);
      } catch (e) {
        caught = e;
      }
      expect(caught, String(message)).toBeInstanceOf(Error);
      expect((caught as Error).name).toBe('UserError');
      expect((caught as Error).message).toMatch(message);
      expect((caught as Error).message.trim().endsWith('.')).toBe(true);
    }
  });
});
