/** `dgs label import` of COCO JSON and `dgs suggest`, as a user runs them: a real child process, real files. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../../node/io/png';
import { encodeClassRle } from '../../shared/coco-rle';
import { dgs, scratchDir, TINY } from './run-dgs';

const scratch = scratchDir('dgs-cli-coco-');

describe('dgs label import (COCO) and dgs suggest', () => {
  it('imports COCO RLE annotations, trains, and suggests seeds to annotate next', () => {
    const tmp = scratch.path;
    const file = path.join(tmp, 'p.dgs');
    expect(dgs('init', file, '--model', TINY, '--classes', 'background,red').code).toBe(0);
    expect(dgs('suggest', file, '--count', '2').stderr).toMatch(/no trained interpreter/);
    const images = path.join(tmp, 'images');
    expect(dgs('sample', file, '--count', '4', '--seed', '0', '--out', images).code).toBe(0);

    // Labels by a rule on the image (bright red = class "red"), written as COCO with compressed RLE.
    const files = fs.readdirSync(images).sort();
    const coco = { images: [] as unknown[], annotations: [] as unknown[], categories: [{ id: 7, name: 'Red' }] };
    const maps: Uint8Array[] = [];
    files.forEach((f, i) => {
      const { width, height, rgba } = decodePng(fs.readFileSync(path.join(images, f)));
      const map = new Uint8Array(width * height).map((_, p) => (rgba[4 * p] > 128 ? 1 : 0));
      maps.push(map);
      coco.images.push({ id: i + 1, file_name: `images/${f}`, width, height });
      coco.annotations.push({
        id: i + 1,
        image_id: i + 1,
        category_id: 7,
        iscrowd: 1,
        segmentation: encodeClassRle(map, width, height, 1),
      });
    });
    const json = path.join(tmp, 'annotations.json');
    fs.writeFileSync(json, JSON.stringify(coco));
    fs.writeFileSync(path.join(tmp, 'broken.json'), '{');
    expect(dgs('label', 'import', file, path.join(tmp, 'broken.json'), '--author', 'tester').stderr).toMatch(
      /not valid JSON/,
    );
    const imported = dgs('label', 'import', file, json, '--author', 'tester');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Imported 4 annotations/);

    // The imported maps come back out of `dgs label export` pixel for pixel.
    const out = path.join(tmp, 'export');
    expect(dgs('label', 'export', file, '--out', out).code).toBe(0);
    files.forEach((f, i) => {
      const { rgba } = decodePng(fs.readFileSync(path.join(out, 'labels', f)));
      expect(Uint8Array.from({ length: maps[i].length }, (_, p) => rgba[4 * p])).toEqual(maps[i]);
    });

    expect(dgs('train', file, '--models', '2', '--cv-folds', '0', '--quick').code).toBe(0);
    const text = dgs('suggest', file, '--count', '3', '--pool', '12');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.match(/seed \d+ {3}mean uncertainty/g)).toHaveLength(3);
    const picked = JSON.parse(dgs('suggest', file, '--count', '2', '--pool', '12', '--add', '--json').stdout);
    expect(picked.picks).toHaveLength(2);
    expect(picked.picks[0].uncertainty).toBeGreaterThanOrEqual(picked.picks[1].uncertainty);
    expect(picked.added.map((s: { seed: number }) => s.seed)).toEqual(
      picked.picks.map((p: { seed: number }) => p.seed),
    );
    expect(JSON.parse(dgs('info', file, '--json').stdout).counts.samples).toBe(6);
  });
});
