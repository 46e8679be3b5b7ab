import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeContactSheet, type ContactSheetSample } from '../contact-sheet';
import { decodePng } from '../../io/png';
import { classPalette } from '../sample-files';
import { runGeneration } from '../generate';
import { shapeSource } from './shape-source';

const tmp = mkdtempSync(join(tmpdir(), 'dgs-sheet-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function sample(
  name: string,
  size: number,
  value: number,
  labelled: (x: number, y: number) => number,
): ContactSheetSample {
  const rgb = new Uint8Array(size * size * 3).fill(value);
  const labels = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) labels[y * size + x] = labelled(x, y);
  return { name, width: size, height: size, rgb, labels };
}

describe('contact sheet', () => {
  const palette = classPalette([
    { index: 1, name: 'a', color: '#ff0000' },
    { index: 2, name: 'b', color: '#00ff00' },
  ]);

  it('shows each sample as the image beside its label overlay (50 %, borders in black), and frames filtered samples in red', async () => {
    const dir = join(tmp, 'grid');
    const samples = [
      sample('a', 4, 100, (x) => (x < 2 ? 1 : 0)),
      { ...sample('b', 4, 200, () => 2), filtered: true },
      sample('c', 4, 0, () => 0),
    ];
    // A pair is 4 + 2 + 4 = 10 px wide: 2 pairs per row with gaps of 2 → 2 + 10 + 2 + 10 + 2.
    expect(await writeContactSheet(dir, samples, { columns: 2, palette })).toEqual({ width: 26, height: 14 });
    const { width, rgba } = decodePng(readFileSync(join(dir, 'contact-sheet.png')));
    const px = (x: number, y: number): number[] => [...rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 3)];
    expect(px(0, 0)).toEqual([32, 32, 32]); // frame
    expect(px(2, 2)).toEqual([100, 100, 100]); // first pair, image panel: untouched
    expect(px(8, 2)).toEqual([178, 50, 50]); // overlay panel: (100 + 255) / 2 → 177.5 → 178; (100 + 0) / 2 = 50
    expect(px(9, 2)).toEqual([0, 0, 0]); // the border between class 1 and background
    expect(px(11, 2)).toEqual([100, 100, 100]); // background is not tinted
    expect(px(14, 2)).toEqual([200, 200, 200]); // second pair (filtered), image panel
    expect(px(20, 2)).toEqual([100, 228, 100]); // its overlay: (200 + 0) / 2, (200 + 255) / 2 → 228
    expect(px(13, 1)).toEqual([220, 40, 40]); // red frame around the filtered pair
    expect(px(25, 7)).toEqual([220, 40, 40]);
    expect(px(12, 7)).toEqual([220, 40, 40]);
    expect(px(2, 8)).toEqual([0, 0, 0]); // third sample, next row
    expect(px(14, 8)).toEqual([32, 32, 32]); // empty fourth place
    expect(readdirSync(dir)).toEqual(['contact-sheet.png']);
  });

  it('shrinks large samples by block averaging to the cell size', async () => {
    const dir = join(tmp, 'shrink');
    const s = sample('big', 8, 40, (x, y) => (x < 4 && y < 4 ? 1 : 0));
    expect(await writeContactSheet(dir, [s], { palette, cell: 4 })).toEqual({ width: 14, height: 8 });
    const { width, rgba } = decodePng(readFileSync(join(dir, 'contact-sheet.png')));
    const px = (x: number, y: number): number[] => [...rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 3)];
    // The overlay panel's top-left pixel averages a 2×2 block that is all class 1: ((40 + 255) / 2, 20, 20).
    expect(px(8, 2)).toEqual([148, 20, 20]);
    expect(px(9, 2)).toEqual([0, 0, 0]); // its right neighbour borders the background
    expect(px(10, 3)).toEqual([40, 40, 40]);
    expect(px(2, 2)).toEqual([40, 40, 40]); // image panel
  });
});

describe('streaming', () => {
  it('asks for the next batch before the current one is written (produce and write overlap)', async () => {
    const dir = join(tmp, 'overlap');
    const inner = shapeSource();
    const committedAtCall: number[] = [];
    const lines = (): number => {
      try {
        return readFileSync(join(dir, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    };
    const source = {
      info: inner.info,
      produce: (seeds: number[]) => {
        committedAtCall.push(lines());
        return inner.produce(seeds);
      },
    };
    await runGeneration(source, { outDir: dir, count: 20, filter: 0, batch: 4 });
    // Batch b (b ≥ 1) is requested while batch b − 1 is still uncommitted.
    expect(committedAtCall).toEqual([0, 0, 4, 8, 12]);
  });
});
