/**
 * The run-wide files of the export formats, written once the filter has decided which samples are
 * kept: `coco.json` (RLE) + `coco_polygons.json`, VOC's image set and label map, YOLO's data.yaml.
 * COCO files are streamed sample by sample from the per-sample fragments, so memory does not grow with
 * the number of samples.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { damaged, readEnvelope } from '../../shared/envelope';
import { COCO_FRAGMENT_HISTORY } from '../../shared/generation-envelopes';
import { parseHexColor } from '../../shared/palette';
import { DisposableStore } from '../../shared/lifecycle';
import { openAtomicText, writeFileAtomic, type AtomicTextWriter } from './atomic-fs';
import type { RunPlan } from './run-plan';
import { sampleName } from './run-plan';
import { COCO_FRAGMENTS_DIR, type CocoFragmentAnnotation } from './sample-files';

/** Kept sample indices in order, as an iterator over a 0/1 flag array (1 = kept). */
function* keptIndices(kept: Uint8Array): Generator<number> {
  for (let k = 0; k < kept.length; k++) if (kept[k]) yield k;
}

function foregroundClasses(plan: RunPlan): RunPlan['classes'] {
  return plan.classes.filter((c) => c.index !== 0);
}

/** A committed sample's COCO annotations, kept in the work folder until the run finishes. */
async function readFragment(file: string): Promise<CocoFragmentAnnotation[]> {
  const place = { what: file, fix: 'delete the dataset folder and generate again' };
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw damaged(place, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is missing' : 'not JSON');
  }
  return readEnvelope(COCO_FRAGMENT_HISTORY, json, place);
}

export async function writeCoco(root: string, plan: RunPlan, kept: Uint8Array): Promise<void> {
  // A damaged fragment stops the writing; the store then closes both files and removes their temporaries.
  const files = new DisposableStore();
  try {
    const rle = files.add(await openAtomicText(root, 'coco.json'));
    const poly = files.add(await openAtomicText(root, 'coco_polygons.json'));
    await streamCoco(root, plan, kept, rle, poly);
    await rle.commit();
    await poly.commit();
  } finally {
    await files.dispose();
  }
}

async function streamCoco(
  root: string,
  plan: RunPlan,
  kept: Uint8Array,
  rle: AtomicTextWriter,
  poly: AtomicTextWriter,
): Promise<void> {
  const size = plan.resolution;
  const both = async (s: string): Promise<void> => {
    await rle.write(s);
    await poly.write(s);
  };
  const info = {
    description: 'DatasetGAN Studio synthetic segmentation dataset (one annotation per class per image)',
    version: '1',
    model_sha256: plan.modelSha256,
    interpreter_id: plan.interpreterId,
    psi: plan.psi,
  };
  const categories = foregroundClasses(plan).map((c) => ({
    id: c.index,
    name: c.name,
    supercategory: 'part',
    color: c.color,
  }));
  await both(`{"info":${JSON.stringify(info)},"licenses":[],"categories":${JSON.stringify(categories)},"images":[`);
  let first = true;
  for (const k of keptIndices(kept)) {
    const name = sampleName(k);
    await both(
      `${first ? '\n' : ',\n'}${JSON.stringify({ id: k + 1, file_name: `images/${name}.png`, width: size, height: size })}`,
    );
    first = false;
  }
  await both('\n],"annotations":[');
  let id = 0;
  for (const k of keptIndices(kept)) {
    const name = sampleName(k);
    const fragment = await readFragment(join(root, COCO_FRAGMENTS_DIR, `${name}.json`));
    for (const a of fragment) {
      id++;
      const common = { id, image_id: k + 1, category_id: a.category_id, area: a.area, bbox: a.bbox, iscrowd: 0 };
      const sep = id === 1 ? '\n' : ',\n';
      await rle.write(sep + JSON.stringify({ ...common, segmentation: { size: [size, size], counts: a.rle } }));
      await poly.write(sep + JSON.stringify({ ...common, segmentation: a.polygons }));
    }
  }
  await both('\n]}\n');
}

export async function writeVocLists(root: string, plan: RunPlan, kept: Uint8Array): Promise<void> {
  const list = await openAtomicText(root, 'VOC/ImageSets/Segmentation/train.txt');
  for (const k of keptIndices(kept)) await list.write(sampleName(k) + '\n');
  await list.commit();
  // CVAT/Datumaro "labelmap.txt": name:r,g,b:parts:actions, one class per line in index order.
  const lines = ['# label:color_rgb:parts:actions'];
  for (const c of plan.classes) lines.push(`${c.name}:${parseHexColor(c.color).join(',')}::`);
  await writeFileAtomic(root, 'VOC/labelmap.txt', lines.join('\n') + '\n');
}

function yamlString(s: string): string {
  return JSON.stringify(s); // a JSON string is a valid double-quoted YAML scalar
}

export async function writeYoloYaml(root: string, plan: RunPlan): Promise<void> {
  const lines = [
    "# Ultralytics YOLO segmentation dataset. Paths are relative to this file's folder.",
    "# Class ids are the project's class indices minus 1 (background has no polygons).",
    'train: images',
    'val: images',
    `nc: ${foregroundClasses(plan).length}`,
    'names:',
    ...foregroundClasses(plan).map((c) => `  ${c.index - 1}: ${yamlString(c.name)}`),
  ];
  await writeFileAtomic(root, 'yolo/data.yaml', lines.join('\n') + '\n');
}
