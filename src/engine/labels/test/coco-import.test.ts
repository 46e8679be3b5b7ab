import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readShapes } from '../../../shared/annotation-shapes';
import { encodeClassRle, rleCountsForClass } from '../../../shared/coco-rle';
import { regionPolygons } from '../../../shared/contours';
import { isUserError } from '../../../shared/errors';
import { encodeGrayPng } from '../../../node/io/png';
import { Project } from '../../project';
import { sampleRows, tempDir, TINY, tinyModel } from '../../project/test/helpers';
import { readCocoLabels } from '../coco-import';
import { importLabels, readLabelDir } from '../label-files';

const R = TINY.resolution;

function project(): Project {
  const p = Project.create(path.join(tempDir(), 'p.dgs'), {
    classes: [{ name: 'background' }, { name: 'head' }, { name: 'hair' }],
  });
  p.embedModel(tinyModel());
  p.addSamples(sampleRows([11, 12]));
  return p;
}

/** head (1) with a hole of background, hair (2) touching it, and a lone hair pixel. */
function mapWithHoles(): Uint8Array {
  const m = new Uint8Array(R * R);
  for (let y = 2; y < 12; y++) for (let x = 2; x < 10; x++) m[y * R + x] = 1;
  for (let y = 5; y < 8; y++) for (let x = 4; x < 7; x++) m[y * R + x] = 0;
  for (let y = 0; y < 6; y++) for (let x = 10; x < 15; x++) m[y * R + x] = 2;
  m[15 * R + 15] = 2;
  return m;
}

let written = 0;
function writeCoco(
  dir: string,
  images: { file: string; annotations: { category_id: number; segmentation: unknown }[] }[],
  categories = [
    { id: 1, name: 'head' },
    { id: 2, name: 'Hair' },
  ],
): string {
  const file = path.join(dir, `coco-${++written}.json`);
  const coco = {
    images: images.map((im, i) => ({ id: i + 1, file_name: im.file, width: R, height: R })),
    annotations: images.flatMap((im, i) =>
      im.annotations.map((a, k) => ({ id: i * 100 + k + 1, image_id: i + 1, iscrowd: 0, ...a })),
    ),
    categories,
  };
  fs.writeFileSync(file, JSON.stringify(coco));
  return file;
}

function importCoco(p: Project, file: string): number {
  return importLabels(p, readCocoLabels(p, file, R), R, 'tester');
}

describe('COCO import', () => {
  it('reads compressed RLE masks back pixel for pixel, holes included', () => {
    const p = project();
    const [a] = p.listSamples();
    const map = mapWithHoles();
    const file = writeCoco(tempDir(), [
      {
        file: `images/${a.id}.png`,
        annotations: [1, 2].map((c) => ({ category_id: c, segmentation: encodeClassRle(map, R, R, c) })),
      },
    ]);
    expect(importCoco(p, file)).toBe(1);
    expect(p.getAnnotation(a.id)!.labelMap).toEqual(map);
    expect(p.getAnnotation(a.id)!.author).toBe('tester');
    p.dispose();
  });

  it('reads uncompressed RLE counts (as CVAT writes for crowd masks) and matches seed-<seed> names', () => {
    const p = project();
    const b = p.listSamples().find((s) => s.seed === 12)!;
    const map = mapWithHoles();
    const segs = [1, 2].map((c) => ({
      category_id: c,
      segmentation: { size: [R, R], counts: rleCountsForClass(map, R, R, c) },
    }));
    importCoco(p, writeCoco(tempDir(), [{ file: 'seed-12.jpg', annotations: segs }]));
    expect(p.getAnnotation(b.id)!.labelMap).toEqual(map);
    p.dispose();
  });

  it('reads polygons back pixel for pixel and keeps them as editable shapes', () => {
    const p = project();
    const [a] = p.listSamples();
    const map = mapWithHoles();
    for (let y = 5; y < 8; y++) for (let x = 4; x < 7; x++) map[y * R + x] = 1; // polygons cannot carry holes
    const regions = regionPolygons(map, R, R, 0);
    importCoco(
      p,
      writeCoco(tempDir(), [
        {
          file: `${a.id}.png`,
          annotations: regions.map((r) => ({ category_id: r.classId, segmentation: [r.polygon] })),
        },
      ]),
    );
    const got = p.getAnnotation(a.id)!;
    expect(got.labelMap).toEqual(map);
    expect(
      readShapes(got.shapes)
        .map((s) => s.classId)
        .sort(),
    ).toEqual(regions.map((r) => r.classId).sort());
    p.dispose();
  });

  it('paints later annotations over earlier ones', () => {
    const p = project();
    const [a] = p.listSamples();
    const big = [0, 0, 16, 0, 16, 16, 0, 16];
    const small = [4, 4, 8, 4, 8, 8, 4, 8];
    importCoco(
      p,
      writeCoco(tempDir(), [
        {
          file: `${a.id}.png`,
          annotations: [
            { category_id: 1, segmentation: [big] },
            { category_id: 2, segmentation: [small] },
          ],
        },
      ]),
    );
    const m = p.getAnnotation(a.id)!.labelMap;
    expect(m[5 * R + 5]).toBe(2);
    expect(m[0]).toBe(1);
    p.dispose();
  });

  it('refuses, saving nothing, a file with an unknown category, image, size or damaged data', () => {
    const p = project();
    const [a] = p.listSamples();
    const seg = { category_id: 1, segmentation: [[1, 1, 5, 1, 5, 5]] };
    const dir = tempDir();
    const cases: [string, string | RegExp][] = [
      [
        writeCoco(dir, [{ file: `${a.id}.png`, annotations: [seg] }], [{ id: 1, name: 'beard' }]),
        /category "beard" matches no class/,
      ],
      [writeCoco(dir, [{ file: 'nobody.png', annotations: [seg] }]), /not named after a sample/],
      [
        writeCoco(dir, [
          { file: `${a.id}.png`, annotations: [{ category_id: 1, segmentation: { size: [8, 8], counts: [64] } }] },
        ]),
        /8×8 pixels/,
      ],
      [
        writeCoco(dir, [
          { file: `${a.id}.png`, annotations: [{ category_id: 1, segmentation: { size: [R, R], counts: [3, 4] } }] },
        ]),
        /damaged/,
      ],
      [
        writeCoco(dir, [{ file: `${a.id}.png`, annotations: [{ category_id: 1, segmentation: 'x' }] }]),
        /not a COCO annotation file/,
      ],
    ];
    for (const [file, message] of cases) {
      let err: unknown;
      try {
        importCoco(p, file);
      } catch (e) {
        err = e;
      }
      expect(isUserError(err), String(err)).toBe(true);
      expect((err as Error).message).toMatch(message);
    }
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ not json');
    expect(() => readCocoLabels(p, path.join(dir, 'bad.json'), R)).toThrow(/not valid JSON/);
    expect(p.listAnnotations()).toEqual([]);
    p.dispose();
  });
});

describe('label PNG round trip', () => {
  it('comes back pixel-identical after being exported, edited elsewhere and imported', () => {
    const p = project();
    const [a, b] = p.listSamples();
    const dir = tempDir();
    const map = mapWithHoles();
    fs.writeFileSync(path.join(dir, `${a.id}.png`), encodeGrayPng(map, R, R));
    // "Elsewhere": another program reads the greyscale PNG, paints a few pixels and saves it its own
    // way (pngjs, 8-bit greyscale, its default filters) — once as greyscale, once as grey RGB.
    const edited = map.slice();
    for (let x = 0; x < R; x++) edited[14 * R + x] = 2;
    const png = PNG.sync.read(fs.readFileSync(path.join(dir, `${a.id}.png`)));
    for (let i = 0; i < R * R; i++) png.data.fill(edited[i], 4 * i, 4 * i + 3);
    fs.writeFileSync(path.join(dir, `${a.id}.png`), PNG.sync.write(png, { colorType: 0 }));
    fs.writeFileSync(path.join(dir, `${b.id}.png`), PNG.sync.write(png, { colorType: 2 }));
    expect(importLabels(p, readLabelDir(p, dir, R), R, 'tester')).toBe(2);
    expect(p.getAnnotation(a.id)!.labelMap).toEqual(edited);
    expect(p.getAnnotation(b.id)!.labelMap).toEqual(edited);
    p.dispose();
  });
});
