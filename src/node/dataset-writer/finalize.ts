/**
 * Turning a folder of generated samples into the finished dataset, once all samples of the run exist
 * (end of an unsharded run, or after merging shards): the run-wide uncertainty filter, the format files
 * that list kept samples, the contact sheet, the final manifest and the dataset card.
 *
 * Every step can be repeated after a crash with the same result: the filter is recomputed from the
 * scores in the manifest, moves skip files already moved, files are replaced atomically. README.md is
 * written last but one; the work folder is removed last. README.md present = finished.
 */
import { access, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readEnvelope } from '../../shared/envelope';
import { UserError } from '../../shared/errors';
import { RUN_PLAN_HISTORY } from '../../shared/generation-envelopes';
import { WORK_DIR, ensureTmpDir, moveIfPresent, openAtomicText, unlinkIfPresent, writeFileAtomic } from './atomic-fs';
import { loadSampleForSheet, writeContactSheet } from './contact-sheet';
import { datasetCard } from './dataset-card';
import { writeCoco, writeVocLists, writeYoloYaml } from './format-writers';
import { MANIFEST, manifestLine, readManifest } from './journal';
import { filteredCount, sampleName, type RunPlan } from './run-plan';
import { classPalette, sampleFilePaths } from './sample-files';

export const README = 'README.md';
export const RUN_JSON = 'run.json';
const CONTACT_SHEET_SAMPLES = 64;

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function readPlan(root: string): Promise<RunPlan> {
  const file = join(root, RUN_JSON);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new UserError(`${file} is missing or damaged, so ${root} is not a DatasetGAN Studio generation folder.`);
  }
  return readEnvelope(RUN_PLAN_HISTORY, json, {
    what: file,
    fix: `generate the dataset again into an empty folder instead of ${root}`,
  });
}

/**
 * Which samples the filter drops: the ⌊filter·G⌋ with the highest uncertainty score, ties broken by
 * lower sample index dropped first (deterministic). Returns 1 = kept, 0 = filtered, per sample index.
 */
export function decideFilter(scores: Float64Array, filter: number): Uint8Array {
  const n = scores.length;
  const drop = filteredCount(n, filter);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  const kept = new Uint8Array(n).fill(1);
  for (let i = 0; i < drop; i++) kept[order[i]] = 0;
  return kept;
}

/** Scores of all samples in index order; refuses a folder whose manifest is not exactly samples 0…G−1. */
async function readScores(root: string, generated: number): Promise<Float64Array> {
  const scores = new Float64Array(generated);
  let n = 0;
  for await (const r of readManifest(join(root, MANIFEST))) {
    if (r.index !== n)
      throw new UserError(
        `${join(root, MANIFEST)} lists sample ${r.index} where sample ${n} was expected; the folder is damaged.`,
      );
    scores[n++] = r.score;
  }
  if (n !== generated)
    throw new UserError(`${root} has ${n} of its ${generated} samples; resume the generation before finishing it.`);
  return scores;
}

export interface FinalizeResult {
  generated: number;
  kept: number;
  filtered: number;
}

export async function finalizeDataset(
  root: string,
  plan: RunPlan,
  opts: { contactSheet?: boolean } = {},
): Promise<FinalizeResult> {
  const G = plan.generated;
  if (await exists(join(root, README))) {
    await rm(join(root, WORK_DIR), { recursive: true, force: true });
    const d = filteredCount(G, plan.filter);
    return { generated: G, kept: G - d, filtered: d };
  }
  await ensureTmpDir(root);
  const scores = await readScores(root, G);
  const kept = decideFilter(scores, plan.filter);

  let threshold: number | null = null;
  let nFiltered = 0;
  for (let k = 0; k < G; k++) {
    const name = sampleName(k);
    if (kept[k]) {
      if (threshold === null || scores[k] > threshold) threshold = scores[k];
      continue;
    }
    nFiltered++;
    const files = sampleFilePaths(name, plan.formats);
    for (const rel of files.core) await moveIfPresent(join(root, rel), join(root, 'filtered', rel));
    // Format copies of filtered samples are derived data (hard links or re-encodings): dropped.
    for (const rel of files.format) if (!rel.startsWith(WORK_DIR)) await unlinkIfPresent(join(root, rel));
  }

  if (plan.formats.includes('coco')) await writeCoco(root, plan, kept);
  if (plan.formats.includes('voc')) await writeVocLists(root, plan, kept);
  if (plan.formats.includes('yolo')) await writeYoloYaml(root, plan);

  if (opts.contactSheet !== false) {
    // A sheet being written when a previous attempt was killed leaves its temporary beside it.
    for (const f of await readdir(root))
      if (/^contact-sheet\.png\.\d+\.tmp$/.test(f)) await unlinkIfPresent(join(root, f));
    const sheet = [];
    for (let k = 0; k < Math.min(G, CONTACT_SHEET_SAMPLES); k++)
      sheet.push(await loadSampleForSheet(root, sampleName(k), !kept[k]));
    await writeContactSheet(root, sheet, { columns: 4, palette: classPalette(plan.classes) });
  }

  const manifest = await openAtomicText(root, MANIFEST);
  for await (const r of readManifest(join(root, MANIFEST))) {
    await manifest.write(manifestLine({ ...r, status: kept[r.index] ? 'kept' : 'filtered' }));
  }
  await manifest.commit();

  if (nFiltered === 0) threshold = null;
  await writeFileAtomic(
    root,
    README,
    datasetCard(plan, { generated: G, kept: G - nFiltered, filtered: nFiltered, threshold }),
  );
  await rm(join(root, WORK_DIR), { recursive: true, force: true });
  return { generated: G, kept: G - nFiltered, filtered: nFiltered };
}
