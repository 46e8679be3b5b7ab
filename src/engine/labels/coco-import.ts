/**
 * COCO JSON in, label maps out (`dgs label import <file.dgs> <coco.json>`): instance or semantic
 * annotations as CVAT, Label Studio and `dgs generate` export them — polygons, and RLE masks with
 * compressed (string) or uncompressed (array) counts. Images are matched to samples by file name as
 * label PNGs are (<sample id>.<ext> or seed-<seed>.<ext>), categories to classes by name. Each
 * annotation is painted in file order with src/shared's rasterizers (polygons at pixel centres, the
 * non-zero rule per polygon; later annotations over earlier ones); polygons are kept as shapes for
 * editing. Everything is checked before anything is saved; images without annotations are skipped.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import type { PolygonShape } from '../../shared/annotation-shapes';
import { rleCountsFromString } from '../../shared/coco-rle';
import { UserError } from '../../shared/errors';
import type { CoverageMask } from '../../shared/raster/label-raster';
import { lockTable } from '../../shared/raster/label-raster';
import { paintMask } from '../../shared/raster/paint';
import { polygonMask } from '../../shared/raster/polygon';
import type { Project } from '../project';
import type { PendingLabel } from './label-files';
import { SampleNames } from './sample-names';

const Rle = z.object({
  size: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  counts: z.union([z.string(), z.array(z.number().int().nonnegative())]),
});

const CocoSchema = z.object({
  images: z.array(
    z.object({
      id: z.union([z.number(), z.string()]),
      file_name: z.string().min(1),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
    }),
  ),
  annotations: z.array(
    z.object({
      image_id: z.union([z.number(), z.string()]),
      category_id: z.union([z.number(), z.string()]),
      segmentation: z.union([z.array(z.array(z.number().finite())), Rle]),
    }),
  ),
  categories: z.array(z.object({ id: z.union([z.number(), z.string()]), name: z.string() })),
});
type Coco = z.infer<typeof CocoSchema>;

function parse(file: string): Coco {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${file} does not exist.`);
    throw new UserError(`${file} is not valid JSON; export the annotations as COCO JSON and try again.`);
  }
  const r = CocoSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new UserError(
      `${file} is not a COCO annotation file this program can read (${issue.path.join('.') || 'top level'}: ${issue.message}); it needs images, annotations with segmentation (polygons or RLE) and categories.`,
    );
  }
  return r.data;
}

/** The mask of an RLE segmentation (column-major runs, starting with a run of 0s). */
function rleMask(rle: z.infer<typeof Rle>, size: number, where: string): CoverageMask {
  const [h, w] = rle.size;
  if (h !== size || w !== size)
    throw new UserError(`${where} has an RLE mask of ${w}×${h} pixels but the project's images are ${size}×${size}.`);
  let counts: number[];
  try {
    counts = typeof rle.counts === 'string' ? rleCountsFromString(rle.counts) : rle.counts;
  } catch {
    throw new UserError(`${where} has an RLE mask whose counts string is damaged.`);
  }
  const bits = new Uint8Array(size * size);
  let p = 0;
  counts.forEach((run, k) => {
    if (k % 2 === 1)
      for (let j = p; j < p + run && j < size * size; j++) bits[(j % size) * size + Math.floor(j / size)] = 1;
    p += run;
  });
  if (p !== size * size)
    throw new UserError(`${where} has an RLE mask covering ${p} pixels instead of ${size * size}; it is damaged.`);
  return { x: 0, y: 0, width: size, height: size, bits };
}

/** Read and check a COCO file against the project's samples, resolution and classes. */
export function readCocoLabels(project: Project, file: string, resolution: number): PendingLabel[] {
  const coco = parse(file);
  const classes = project.listClasses();
  const classOf = new Map<string, number>();
  for (const cat of coco.categories) {
    const match = classes.find((c) => c.name.trim().toLowerCase() === cat.name.trim().toLowerCase());
    if (!match) {
      throw new UserError(
        `${file}: category "${cat.name}" matches no class of this project (${classes.map((c) => c.name).join(', ')}); add the class or rename the category.`,
      );
    }
    classOf.set(String(cat.id), match.index);
  }
  const names = new SampleNames(project.listSamples());
  const byImage = new Map<string, Coco['annotations']>();
  for (const a of coco.annotations) byImage.set(String(a.image_id), [...(byImage.get(String(a.image_id)) ?? []), a]);
  const seen = new Set<string>();
  const pending: PendingLabel[] = [];
  for (const image of coco.images) {
    const annotations = byImage.get(String(image.id));
    if (!annotations) continue;
    const where = `${file}: image ${image.file_name}`;
    const sample = names.sampleFor(image.file_name, where);
    if (seen.has(sample.id))
      throw new UserError(
        `${where} labels a sample that another image in the file labels too; keep one image per sample.`,
      );
    seen.add(sample.id);
    if (image.width !== resolution || image.height !== resolution) {
      throw new UserError(
        `${where} is ${image.width}×${image.height} but the project's images are ${resolution}×${resolution}; label maps must match the image size.`,
      );
    }
    const raster = { width: resolution, height: resolution, pixels: new Uint8Array(resolution * resolution) };
    const shapes: PolygonShape[] = [];
    for (const a of annotations) {
      const classId = classOf.get(String(a.category_id));
      if (classId === undefined)
        throw new UserError(
          `${where} has an annotation of category ${a.category_id}, which the file's categories do not list.`,
        );
      if (Array.isArray(a.segmentation)) {
        for (const ring of a.segmentation) {
          if (ring.length < 6 || ring.length % 2 !== 0)
            throw new UserError(
              `${where} has a polygon with ${ring.length} coordinates; a polygon lists at least three x, y pairs.`,
            );
          const shape: PolygonShape = {
            id: randomUUID(),
            kind: 'polygon',
            classId,
            rings: [ring],
            fillRule: 'nonzero',
          };
          paintMask(raster, polygonMask(shape, resolution, resolution), classId, lockTable());
          shapes.push(shape);
        }
      } else {
        paintMask(raster, rleMask(a.segmentation, resolution, where), classId, lockTable());
      }
    }
    pending.push({ sample, file: `${file}#${image.file_name}`, labels: raster.pixels, shapes });
  }
  if (pending.length === 0) throw new UserError(`${file} holds no annotated image; nothing to import.`);
  return pending;
}
