/** Test-only COCO RLE decoder, independent of src/shared/coco-rle.ts. */
/**
 * Independent decoder, written from the description of pycocotools' maskApi.c `rleFrString` and
 * `rleDecode`: each count is a sequence of chars c − 48; the low 5 bits are value bits, least
 * significant group first; bit 0x20 says another char follows; in the last char bit 0x10 is the sign
 * (two's complement over the bits read so far). From the fourth count on (0-based index > 2, as
 * in maskApi.c), the stored value is the difference to the count two places earlier. Counts are alternating runs of 0 and 1, starting with 0,
 * over the mask read column by column (column-major).
 */
export function decodeCocoRle(counts: string, height: number, width: number): Uint8Array {
  const runs: number[] = [];
  let p = 0;
  while (p < counts.length) {
    let value = 0;
    let scale = 1;
    let last = 0;
    for (;;) {
      last = counts.charCodeAt(p++) - 48;
      value += (last & 0x1f) * scale;
      scale *= 32;
      if (!(last & 0x20)) break;
    }
    if (last & 0x10) value -= scale; // sign bit of the last group: negative number
    if (runs.length > 2) value += runs[runs.length - 2];
    runs.push(value);
  }
  const mask = new Uint8Array(width * height); // row-major result
  let pos = 0;
  runs.forEach((run, i) => {
    for (let j = 0; j < run; j++, pos++) {
      const x = Math.floor(pos / height);
      const y = pos % height;
      mask[y * width + x] = i % 2;
    }
  });
  if (pos !== width * height) throw new Error(`RLE covers ${pos} pixels, expected ${width * height}`);
  return mask;
}
