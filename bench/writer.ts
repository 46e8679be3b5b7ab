/**
 * Benchmark of the dataset writer alone (not the generator): per-sample encoding costs at a given
 * resolution, and whole-run throughput with a cheap synthetic source. Prints JSON.
 * Run: npx tsx bench/writer.ts [resolution=512] [samples=24]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { regionPolygons } from '../src/shared/contours';
import { runGeneration } from '../src/node/dataset-writer/generate';
import { encodeGrayPng, encodeIndexedPng, encodeRgbPng } from '../src/node/io/png';
import { classPalette, cocoFragment, yoloLabelText } from '../src/node/dataset-writer/sample-files';
import { drawShapes, shapeSource } from '../src/node/dataset-writer/test/shape-source';

const res = Number(process.argv[2] ?? 512);
const n = Number(process.argv[3] ?? 24);

function ms(f: () => unknown, reps = 5): number {
  f();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return +((performance.now() - t0) / reps).toFixed(2);
}

async function main(): Promise<void> {
  const s = drawShapes(3, res, 8);
  const palette = classPalette([]);
  const regions = regionPolygons(s.labels, res, res, 0);
  const rgbBuf = Buffer.from(s.rgb);
  const perSampleMs = {
    rgbPngPaeth: ms(() => encodeRgbPng(s.rgb, res, res)),
    rgbPngPngjsDefaults: ms(() =>
      PNG.sync.write({ width: res, height: res, data: rgbBuf } as PNG, {
        colorType: 2,
        inputColorType: 2,
        inputHasAlpha: false,
      }),
    ),
    grayPng: ms(() => encodeGrayPng(s.labels, res, res)),
    indexedPng: ms(() => encodeIndexedPng(s.labels, res, res, palette)),
    regions: ms(() => regionPolygons(s.labels, res, res, 0)),
    cocoFragment: ms(() => JSON.stringify(cocoFragment(s.labels, res, regions))),
    yoloText: ms(() => yoloLabelText(regions, res)),
    drawTestSample: ms(() => drawShapes(3, res, 8)),
  };
  const dir = mkdtempSync(join(tmpdir(), 'dgs-bench-'));
  try {
    const t0 = performance.now();
    await runGeneration(shapeSource({ resolution: res, classes: 8, zDim: 512 }), {
      outDir: join(dir, 'out'),
      count: n,
      filter: 0,
      formats: ['coco', 'voc', 'yolo'],
      batch: 8,
    });
    const seconds = (performance.now() - t0) / 1000;
    const writerSeconds = seconds - (n * perSampleMs.drawTestSample) / 1000;
    console.log(
      JSON.stringify({
        resolution: res,
        samples: n,
        perSampleMs,
        runSeconds: +seconds.toFixed(3),
        writerSamplesPerSecond: +(n / writerSeconds).toFixed(2),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
