/**
 * Everything written for one sample, before the run-wide filter: the PNGs, and per-sample pieces of
 * the export formats (COCO annotations as a fragment file gathered at the end, VOC and YOLO files in
 * place). Pure encoding is separate from writing so both are easy to test.
 */
import { join } from 'node:path';
import { classExtents, rleCountsAllClasses, rleCountsToString } from '../../shared/coco-rle';
import { regionPolygons, type RegionPolygon } from '../../shared/contours';
import { parseHexColor, vocColor } from '../../shared/palette';
import { WORK_DIR, linkOrCopyAtomic, writeFileAtomic } from './atomic-fs';
import { encodeRgbJpeg } from '../io/jpeg';
import { encodeGrayPng, encodeIndexedPng, encodeRgbPng } from '../io/png';
import type { CocoFragmentAnnotation, ExportFormat, DatasetClass, LabeledSample } from '../../shared/dataset-types';

export type { CocoFragmentAnnotation };

export const COCO_FRAGMENTS_DIR = join(WORK_DIR, 'coco');

/** 256 palette entries (768 bytes): class colours where defined, the VOC palette elsewhere. */
export function classPalette(classes: readonly DatasetClass[]): Uint8Array {
  const p = new Uint8Array(768);
  for (let i = 0; i < 256; i++) p.set(vocColor(i), i * 3);
  for (const c of classes) if (c.index >= 0 && c.index < 256) p.set(parseHexColor(c.color), c.index * 3);
  return p;
}

/**
 * COCO annotations of one label map: one per non-background class present (class 0 is background).
 * `regions` are the label map's non-background region polygons (regionPolygons(…, 0)).
 */
export function cocoFragment(
  labels: Uint8Array,
  size: number,
  regions: readonly RegionPolygon[],
): CocoFragmentAnnotation[] {
  const rle = rleCountsAllClasses(labels, size, size);
  return classExtents(labels, size, size)
    .filter((e) => e.classId !== 0)
    .map((e) => ({
      category_id: e.classId,
      rle: rleCountsToString(rle.get(e.classId)!),
      area: e.area,
      bbox: e.bbox,
      polygons: regions.filter((r) => r.classId === e.classId).map((r) => r.polygon),
    }));
}

/** YOLO segmentation label file: one line per region, `class x1 y1 x2 y2 …` normalised to [0, 1]. */
export function yoloLabelText(regions: readonly RegionPolygon[], size: number): string {
  let text = '';
  for (const r of regions) {
    const coords = r.polygon.map((v) => +(v / size).toFixed(6));
    // YOLO class ids are 0-based over the non-background classes: class index − 1.
    text += `${r.classId - 1} ${coords.join(' ')}\n`;
  }
  return text;
}

export interface SampleWriteContext {
  root: string;
  size: number;
  formats: readonly ExportFormat[];
  palette: Uint8Array;
}

export const IMAGE_DIRS = { images: 'images', labels: 'labels', labelsColor: 'labels_color' } as const;

/** Relative paths of every per-sample file of `name` (for moving filtered samples and for merging). */
export function sampleFilePaths(name: string, formats: readonly ExportFormat[]): { core: string[]; format: string[] } {
  const core = [`images/${name}.png`, `labels/${name}.png`, `labels_color/${name}.png`];
  const format: string[] = [];
  if (formats.includes('coco')) format.push(`${COCO_FRAGMENTS_DIR}/${name}.json`);
  if (formats.includes('voc')) format.push(`VOC/JPEGImages/${name}.jpg`, `VOC/SegmentationClass/${name}.png`);
  if (formats.includes('yolo')) format.push(`yolo/images/${name}.png`, `yolo/labels/${name}.txt`);
  return { core, format };
}

/** Writes all files of one sample (each atomically). Returns once every one is in place. */
export async function writeSampleFiles(ctx: SampleWriteContext, name: string, s: LabeledSample): Promise<void> {
  const { root, size, formats, palette } = ctx;
  const image = `images/${name}.png`;
  const colored = `labels_color/${name}.png`;
  const writes: Promise<void>[] = [
    writeFileAtomic(root, image, encodeRgbPng(s.rgb, size, size)),
    writeFileAtomic(root, `labels/${name}.png`, encodeGrayPng(s.labels, size, size)),
    // Palette-indexed: coloured in any viewer, and exactly what VOC's SegmentationClass wants.
    writeFileAtomic(root, colored, encodeIndexedPng(s.labels, size, size, palette)),
  ];
  const regions = formats.includes('coco') || formats.includes('yolo') ? regionPolygons(s.labels, size, size, 0) : [];
  if (formats.includes('coco')) {
    writes.push(
      writeFileAtomic(
        root,
        `${COCO_FRAGMENTS_DIR}/${name}.json`,
        JSON.stringify(cocoFragment(s.labels, size, regions)),
      ),
    );
  }
  if (formats.includes('yolo'))
    writes.push(writeFileAtomic(root, `yolo/labels/${name}.txt`, yoloLabelText(regions, size)));
  // VOC's convention is JPEG images; our lossless original stays in images/.
  if (formats.includes('voc'))
    writes.push(writeFileAtomic(root, `VOC/JPEGImages/${name}.jpg`, encodeRgbJpeg(s.rgb, size, size)));
  await Promise.all(writes);
  // The format folders' copies are the same files as images/ and labels_color/ (hard link or copy).
  const links: Promise<void>[] = [];
  if (formats.includes('voc')) {
    links.push(linkOrCopyAtomic(join(root, colored), root, `VOC/SegmentationClass/${name}.png`));
  }
  if (formats.includes('yolo')) links.push(linkOrCopyAtomic(join(root, image), root, `yolo/images/${name}.png`));
  await Promise.all(links);
}
