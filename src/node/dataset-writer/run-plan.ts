/**
 * What a generation run is, independent of how far it got: counts, seeds, shard slice, and the
 * `run.json` that pins these so a resume or a merge can check it continues the same run.
 */
import { UserError } from '../../shared/errors';
import type { ExportFormat, GenerationOptions, RunPlan, ShardSpec, SourceInfo } from '../../shared/dataset-types';

export type { RunPlan };

export const ALL_FORMATS: readonly ExportFormat[] = ['coco', 'voc', 'yolo'];
export const DEFAULT_FILTER = 0.1;

/** Samples dropped by the filter out of `generated`: ⌊filter · generated⌋. */
export function filteredCount(generated: number, filter: number): number {
  return Math.floor(filter * generated + 1e-9);
}

/** Smallest G with G − ⌊filter·G⌋ ≥ count; since that difference grows by 0 or 1 per step, it is exactly count. */
export function generatedCountFor(count: number, filter: number): number {
  let g = Math.max(count, Math.ceil(count / (1 - filter)) - 2);
  while (g - filteredCount(g, filter) < count) g++;
  while (g > count && g - 1 - filteredCount(g - 1, filter) >= count) g--;
  return g;
}

/** Seed of sample k of a run with base seed S: (S + k) mod 2^32. */
export function seedForIndex(baseSeed: number, k: number): number {
  return (baseSeed + k) % 4294967296;
}

/** Sample indices of a folder: all of 0…G−1, or those ≡ shard.index (mod shard.count). */
export function sliceSize(generated: number, shard: ShardSpec | null): number {
  if (!shard) return generated;
  return generated > shard.index ? Math.floor((generated - 1 - shard.index) / shard.count) + 1 : 0;
}

/** The j-th sample index of the folder's slice. */
export function sliceIndex(j: number, shard: ShardSpec | null): number {
  return shard ? shard.index + j * shard.count : j;
}

/** Sample names sort in index order: at least 8 digits. */
export function sampleName(k: number): string {
  return String(k).padStart(8, '0');
}

export function parseFormats(formats: readonly string[] | undefined): ExportFormat[] {
  const out = new Set<ExportFormat>();
  for (const raw of formats ?? []) {
    const f = raw.trim().toLowerCase();
    if (f === '' || f === 'png') continue;
    if (!(ALL_FORMATS as readonly string[]).includes(f)) {
      throw new UserError(`"${raw}" is not an output format; choose from png, coco, voc and yolo.`);
    }
    out.add(f as ExportFormat);
  }
  return ALL_FORMATS.filter((f) => out.has(f));
}

export function checkShard(shard: ShardSpec | null | undefined): ShardSpec | null {
  if (!shard) return null;
  if (
    !Number.isInteger(shard.count) ||
    shard.count < 1 ||
    !Number.isInteger(shard.index) ||
    shard.index < 0 ||
    shard.index >= shard.count
  ) {
    throw new UserError(`Shard ${shard.index}/${shard.count} does not exist; use i/n with 0 ≤ i < n, for example 0/4.`);
  }
  return shard.count === 1 ? null : { index: shard.index, count: shard.count };
}

/** Parses the CLI's `--shard i/n` (e.g. "3/8"; also accepts the index from JOB_COMPLETION_INDEX as "3/8"). */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UserError(`"${text}" is not a shard; write it as i/n, for example --shard 0/4.`);
  const shard = { index: Number(m[1]), count: Number(m[2]) };
  checkShard(shard);
  return shard;
}

export function checkFilter(filter: number): number {
  if (!Number.isFinite(filter) || filter < 0 || filter >= 1) {
    throw new UserError(
      `The filter ${filter} is not a fraction from 0 up to (not including) 1; for example 0.1 drops the 10 % most uncertain samples.`,
    );
  }
  return filter;
}

export function planRun(info: SourceInfo, opts: GenerationOptions): RunPlan {
  const { count } = opts;
  if (!Number.isInteger(count) || count < 1)
    throw new UserError(`The count must be a whole number of at least 1; got ${count}.`);
  const filter = checkFilter(opts.filter ?? DEFAULT_FILTER);
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new UserError(`The seed must be a whole number from 0 to 4294967295; got ${seed}.`);
  }
  if (!(info.resolution > 0) || !(info.zDim > 0))
    throw new Error('The sample source reports no resolution or latent size.');
  const indices = info.classes.map((c) => c.index);
  if (
    new Set(indices).size !== indices.length ||
    !indices.every((i) => Number.isInteger(i) && i >= 0 && i < 256) ||
    !indices.includes(0)
  ) {
    throw new Error('The sample source must list classes with distinct ids 0–255, including 0 (background).');
  }
  return {
    format: 'dgs-generation-run',
    version: 1,
    count,
    generated: generatedCountFor(count, filter),
    filter,
    formats: parseFormats(opts.formats),
    seed,
    shard: checkShard(opts.shard),
    modelSha256: info.modelSha256,
    interpreterId: info.interpreterId,
    psi: info.psi,
    resolution: info.resolution,
    zDim: info.zDim,
    classes: [...info.classes]
      .sort((a, b) => a.index - b.index)
      .map((c) => ({ index: c.index, name: c.name, color: c.color })),
    // JSON round trip: run.json must compare equal to a fresh plan on resume.
    interpreterQuality: JSON.parse(JSON.stringify(info.interpreterQuality ?? null)) as unknown,
  };
}

export function planToJson(plan: RunPlan): string {
  return JSON.stringify(plan, null, 2) + '\n';
}

/** Names of the fields where two plans differ (ignoring `shard` when asked, for merging). */
export function planDifferences(a: RunPlan, b: RunPlan, ignoreShard: boolean): string[] {
  const keys = Object.keys(a) as (keyof RunPlan)[];
  return keys.filter((k) => !(ignoreShard && k === 'shard') && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
