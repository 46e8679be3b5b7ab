/**
 * Label PNGs from other tools: class ids are taken as stored at every bit depth (a 16-bit 3 is class 3),
 * a palette PNG's indices only when its colours are the project's, and everything else is refused with
 * a sentence naming the file.
 */
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../../shared/errors';
import { decodeLabelPng, type LabelClassColor } from '../label-png';
import { encodeGrayPng, encodeIndexedPng } from '../png';

const CLASSES: LabelClassColor[] = [
  { index: 0, name: 'background', color: '#000000' },
  { index: 1, name: 'head', color: '#800000' },
  { index: 2, name: 'hair', color: '#008000' },
  { index: 3, name: 'eye', color: '#808000' },
];
const W = 4;
const H = 2;
const IDS = [0, 1, 2, 3, 3, 2, 1, 0];

function refused(bytes: Uint8Array, pattern: RegExp): string {
  let error: unknown;
  try {
    decodeLabelPng(bytes, '/data/x.png', CLASSES);
  } catch (e) {
    error = e;
  }
  expect(isUserError(error), String(error)).toBe(true);
  const msg = (error as Error).message;
  expect(msg).toMatch(pattern);
  expect(msg).toContain('/data/x.png');
  return msg;
}

/** Pack one value per pixel into rows of `depth` bits (fast-png takes packed data below 8 bits). */
function packed(values: number[], depth: number): Uint8Array {
  const perRow = Math.ceil((W * depth) / 8);
  const out = new Uint8Array(perRow * H);
  values.forEach((v, p) => {
    const [y, x] = [Math.floor(p / W), p % W];
    const bit = x * depth;
    out[y * perRow + (bit >> 3)] |= v << (8 - depth - (bit & 7));
  });
  return out;
}

describe('label PNGs of every kind', () => {
  it('takes greyscale class ids as stored at 2, 4, 8 and 16 bits', () => {
    for (const depth of [2, 4, 8, 16] as const) {
      const data = depth === 16 ? Uint16Array.from(IDS) : depth === 8 ? Uint8Array.from(IDS) : packed(IDS, depth);
      const png = encode({ width: W, height: H, data, depth, channels: 1 });
      expect([depth, [...decodeLabelPng(png, 'x.png', CLASSES).labels]]).toEqual([depth, IDS]);
    }
    const bits = [0, 1, 1, 0, 1, 0, 0, 1];
    expect([
      ...decodeLabelPng(encode({ width: W, height: H, data: packed(bits, 1), depth: 1, channels: 1 }), 'x.png', CLASSES)
        .labels,
    ]).toEqual(bits);
  });

  it('refuses a 16-bit value that is no class, naming the file, the value and where it is', () => {
    const data = Uint16Array.from(IDS.map((v, i) => (i === 5 ? 257 : v)));
    refused(
      encode({ width: W, height: H, data, depth: 16, channels: 1 }),
      /uses class id 257 \(at x 1, y 1\), which is not a class of this project \(class ids: 0, 1, 2, 3\)/,
    );
    // The old reader divided by 257: this file would have become class 1 without a word.
  });

  it('takes greyscale saved as colour or with an opaque alpha, refuses colour and transparency', () => {
    const rgb = Uint8Array.from(IDS.flatMap((v) => [v, v, v]));
    expect([
      ...decodeLabelPng(encode({ width: W, height: H, data: rgb, depth: 8, channels: 3 }), 'x.png', CLASSES).labels,
    ]).toEqual(IDS);
    const ga = Uint16Array.from(IDS.flatMap((v) => [v, 65535]));
    expect([
      ...decodeLabelPng(encode({ width: W, height: H, data: ga, depth: 16, channels: 2 }), 'x.png', CLASSES).labels,
    ]).toEqual(IDS);
    const colour = Uint8Array.from(IDS.flatMap((v) => [v, v + 1, v]));
    refused(
      encode({ width: W, height: H, data: colour, depth: 8, channels: 3 }),
      /is a colour image; a label PNG holds one class id per pixel/,
    );
    const seeThrough = Uint8Array.from(IDS.flatMap((v, i) => [v, v, v, i === 0 ? 0 : 255]));
    refused(encode({ width: W, height: H, data: seeThrough, depth: 8, channels: 4 }), /has transparent pixels/);
  });

  it("takes a palette PNG's indices when its colours are the project's, and says so when they are not", () => {
    const palette = Uint8Array.from(
      CLASSES.flatMap((c) => [1, 3, 5].map((i) => parseInt(c.color.slice(i, i + 2), 16))),
    );
    expect([...decodeLabelPng(encodeIndexedPng(Uint8Array.from(IDS), W, H, palette), 'x.png', CLASSES).labels]).toEqual(
      IDS,
    );
    const other = palette.slice();
    other[3 * 2 + 1] = 0xff; // hair is #00ff00 in the file
    refused(
      encodeIndexedPng(Uint8Array.from(IDS), W, H, other),
      /is a palette PNG whose colours are not this project's \(index 2 is #00ff00 there, class 2 "hair" is #008000 here\)/,
    );
    const four = encode({
      width: W,
      height: H,
      data: packed(IDS, 4),
      depth: 4,
      channels: 1,
      palette: CLASSES.map((c) => [1, 3, 5].map((i) => parseInt(c.color.slice(i, i + 2), 16))),
    });
    expect([...decodeLabelPng(four, 'x.png', CLASSES).labels]).toEqual(IDS);
    const beyond = Uint8Array.from(IDS.map((v, i) => (i === 7 ? 9 : v)));
    const big = new Uint8Array(30).fill(7);
    big.set(palette);
    refused(
      encodeIndexedPng(beyond, W, H, big),
      /uses palette index 9 \(at x 3, y 1\), which is not a class of this project/,
    );
  });

  it('refuses damaged and foreign files with a sentence', () => {
    const good = encodeGrayPng(Uint8Array.from(IDS), W, H);
    refused(good.subarray(0, good.length - 20), /is not a PNG image this program can read/);
    refused(new TextEncoder().encode('not a png at all'), /is not a PNG image this program can read/);
    const flipped = Uint8Array.from(good);
    flipped[40] ^= 0xff; // inside IDAT
    refused(flipped, /is not a PNG image this program can read/);
  });
});
