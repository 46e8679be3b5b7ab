/**
 * Label maps in and out as PNG files (before the canvas exists, and for tools outside the studio).
 * Import names files `<sample id>.png`, or `seed-<seed>.png` for the one sample with that seed. Every
 * file is checked before anything is saved, and the import is one transaction: a bad folder, or a kill
 * halfway, changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PolygonShape } from '../../shared/annotation-shapes';
import { shapesEnvelope } from '../../shared/annotation-shapes';
import { UserError } from '../../shared/errors';
import type { Sample } from '../../shared/project-types';
import { decodeLabelPng, type LabelClassColor } from '../../node/io/label-png';
import { checkOutputFolder } from '../../node/io/output-folder';
import { encodeGrayPng, encodeRgbPng } from '../../node/io/png';
import type { Project } from '../project';
import type { Compute } from '../../shared/compute-api';
import { projectModel } from '../project/model';
import { SampleNames } from './sample-names';

export interface PendingLabel {
  sample: Sample;
  file: string;
  labels: Uint8Array;
  /** Polygons to keep for editing (COCO polygons); none for label PNGs. */
  shapes?: PolygonShape[];
}

/** Check one label PNG's bytes against the project's samples, resolution and classes. */
function checkLabelFile(
  name: string,
  bytes: Uint8Array,
  where: string | null,
  ctx: { names: SampleNames; classes: LabelClassColor[]; resolution: number; seen: Set<string> },
): PendingLabel {
  // Files picked in the studio have no folder the user would recognise: they are named by their name.
  const file = where === null ? name : path.join(where, name);
  const sample = ctx.names.sampleFor(name, `The label file ${file}`);
  if (ctx.seen.has(sample.id))
    throw new UserError(
      `The label file ${file} labels a sample that another chosen file labels too; keep one file per sample.`,
    );
  ctx.seen.add(sample.id);
  const { width, height, labels } = decodeLabelPng(bytes, `The label file ${file}`, ctx.classes);
  if (width !== ctx.resolution || height !== ctx.resolution) {
    throw new UserError(
      `The label file ${file} is ${width}×${height} but the project's images are ${ctx.resolution}×${ctx.resolution}; label maps must match the image size.`,
    );
  }
  return { sample, file, labels };
}

function checkContext(project: Project, resolution: number) {
  return {
    resolution,
    seen: new Set<string>(),
    names: new SampleNames(project.listSamples()),
    classes: project.listClasses().map((c) => ({ index: c.index, name: c.name, color: c.color })),
  };
}

/** Read and check every label PNG in dir against the project's samples, resolution and classes. */
export function readLabelDir(project: Project, dir: string, resolution: number): PendingLabel[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new UserError(`${dir} is not a folder of label PNGs.`);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.png'))
    .sort();
  if (files.length === 0) throw new UserError(`${dir} holds no .png files; label files are named <sample id>.png.`);
  const ctx = checkContext(project, resolution);
  return files.map((name) => checkLabelFile(name, fs.readFileSync(path.join(dir, name)), dir, ctx));
}

/**
 * Label PNGs handed over as bytes (the studio's Import labels): checked like a folder's, every file
 * before anything is saved, then saved together (importLabels is one transaction).
 */
/** Label PNGs the user picked (the studio's Import labels): checked all together, then imported in one transaction. */
export function importLabelFiles(
  project: Project,
  files: { name: string; bytes: Uint8Array }[],
  resolution: number,
  author: string,
): { imported: number; warning: string | null } {
  const ctx = checkContext(project, resolution);
  const pending = files.map((f) => {
    if (!f.name.toLowerCase().endsWith('.png'))
      throw new UserError(`The file ${f.name} is not a PNG; label files are named <sample id>.png or seed-<seed>.png.`);
    return checkLabelFile(path.basename(f.name), f.bytes, null, ctx);
  });
  return { imported: importLabels(project, pending, resolution, author), warning: shiftedIdsWarning(project, pending) };
}

/**
 * A sentence when the imported ids look shifted by one against the project's classes: no file uses
 * the last class while class 0 is used, as when label maps number the user's classes from 0 but the
 * project has one more class in front. Null when nothing looks off.
 */
export function shiftedIdsWarning(project: Project, pending: PendingLabel[]): string | null {
  const classes = project.listClasses().sort((a, b) => a.index - b.index);
  if (classes.length < 3 || pending.length === 0) return null;
  const seen = new Uint8Array(256);
  for (const p of pending) for (let i = 0; i < p.labels.length; i++) seen[p.labels[i]] = 1;
  const last = classes[classes.length - 1];
  if (seen[last.index] || !seen[0]) return null;
  const ids = [...seen.keys()].filter((v) => seen[v]);
  return (
    `No imported label map uses class ${last.index} ("${last.name}"), the project's last class; the maps use ids ${ids.join(', ')}. ` +
    `If your maps number classes from 0 as ${classes
      .slice(1, 4)
      .map((c) => `"${c.name}"`)
      .join(', ')}…, every id is shifted by one: ` +
    `class 0 is "${classes[0].name}" here. Re-create the project with --classes naming class 0 first, or re-export the maps.`
  );
}

/** Save the checked label maps (and polygons, from COCO) as annotations by `author`, all in one transaction. */
export function importLabels(
  project: Project,
  pending: PendingLabel[],
  resolution: number,
  author: string | null,
): number {
  project.transaction(() => {
    for (const p of pending) {
      project.saveAnnotation(p.sample.id, {
        width: resolution,
        height: resolution,
        labelMap: p.labels,
        shapes: p.shapes?.length ? shapesEnvelope(p.shapes) : [],
        author,
      });
    }
  });
  return pending.length;
}

/**
 * How exported files are named: 'id' is `<sample id>.png` (as `dgs sample --out` names images); 'seed'
 * is `seed-<seed>.png`, as the studio shows samples, falling back to the id for a seed the project holds
 * at several ψ. Both names import back.
 */
export type ExportNaming = 'id' | 'seed';

function fileStems(samples: readonly Sample[], naming: ExportNaming): Map<string, string> {
  const perSeed = new Map<number, number>();
  for (const s of samples) perSeed.set(s.seed, (perSeed.get(s.seed) ?? 0) + 1);
  return new Map(
    samples.map((s) => [s.id, naming === 'seed' && perSeed.get(s.seed) === 1 ? `seed-${s.seed}` : s.id] as const),
  );
}

/** Write DIR/labels/<name>.png for each annotated sample and, unless `images` is false, DIR/images/<name>.png for every sample. */
export async function exportLabels(
  project: Project,
  compute: Compute,
  outDir: string,
  opts: { batch?: number; provider?: string; naming?: ExportNaming; images?: boolean } = {},
): Promise<{ images: number; labels: number }> {
  const { ref, manifest } = projectModel(project, opts.provider);
  const R = manifest.resolution;
  const batch = opts.batch ?? 8;
  const withImages = opts.images !== false;
  checkOutputFolder(outDir, 'the exported images and labels');
  if (withImages) fs.mkdirSync(path.join(outDir, 'images'), { recursive: true });
  fs.mkdirSync(path.join(outDir, 'labels'), { recursive: true });
  const samples = project.listSamples();
  const stems = fileStems(samples, opts.naming ?? 'id');
  let labels = 0;
  for (let i = 0; i < samples.length; i += batch) {
    const chunk = samples.slice(i, i + batch);
    if (withImages) {
      // Each sample keeps its own ψ; compute renders them from the stored w.
      const images = await compute.render(
        ref,
        chunk.map((s) => ({ w: project.getLatents(s.id).w, psi: s.psi })),
      );
      chunk.forEach((s, b) =>
        fs.writeFileSync(path.join(outDir, 'images', `${stems.get(s.id)}.png`), encodeRgbPng(images[b], R, R)),
      );
    }
    for (const s of chunk) {
      const a = project.getAnnotation(s.id);
      if (!a) continue;
      fs.writeFileSync(
        path.join(outDir, 'labels', `${stems.get(s.id)}.png`),
        encodeGrayPng(a.labelMap, a.width, a.height),
      );
      labels++;
    }
  }
  return { images: withImages ? samples.length : 0, labels };
}
