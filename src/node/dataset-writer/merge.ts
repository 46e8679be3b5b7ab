/**
 * mergeShards: the folders of `dgs generate --shard i/n` (i = 0…n−1) → one dataset, byte for byte the
 * one an unsharded run would have written. Samples are interleaved back into index order (sample k
 * lives in shard k mod n), their files hard-linked (or copied) across, and then the run-wide
 * uncertainty filter and format files are made exactly as at the end of an unsharded run.
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../shared/errors';
import { ensureTmpDir, linkOrCopyAtomic, writeFileAtomic } from './atomic-fs';
import { RUN_JSON, exists, finalizeDataset, readPlan } from './finalize';
import {
  LATENTS,
  LATENTS_HEADER_BYTES,
  MANIFEST,
  latentRecordBytes,
  latentsHeader,
  manifestLine,
  readManifest,
} from './journal';
import { checkFilter, filteredCount, planDifferences, planToJson, sliceSize, type RunPlan } from './run-plan';
import { sampleFilePaths } from './sample-files';
import type { GenerationSummary } from '../../shared/dataset-types';
import { checkOutputFolder } from '../io/output-folder';

export interface MergeOptions {
  /** Override the filter the shards were started with (then the kept count changes accordingly). */
  filter?: number;
  contactSheet?: boolean;
}

async function loadShards(shardDirs: readonly string[]): Promise<{ plan: RunPlan; dirs: string[] }> {
  if (shardDirs.length === 0) throw new UserError('Name at least one shard folder to merge.');
  const plans = await Promise.all(shardDirs.map((d) => readPlan(d)));
  const n = plans[0].shard?.count ?? 1;
  const dirs = new Array<string>(n);
  plans.forEach((p, i) => {
    if (!p.shard)
      throw new UserError(`${shardDirs[i]} is a whole run, not a shard; only folders made with --shard can be merged.`);
    const diff = planDifferences(plans[0], p, true);
    if (diff.length > 0 || p.shard.count !== n) {
      throw new UserError(
        `${shardDirs[i]} belongs to a different run than ${shardDirs[0]} (different ${[...diff, ...(p.shard.count !== n ? ['shard count'] : [])].join(', ')}).`,
      );
    }
    if (dirs[p.shard.index])
      throw new UserError(`${shardDirs[i]} and ${dirs[p.shard.index]} are both shard ${p.shard.index}/${n}.`);
    dirs[p.shard.index] = shardDirs[i];
  });
  for (let i = 0; i < n; i++) {
    if (!dirs[i]) throw new UserError(`Shard ${i}/${n} is missing; name all ${n} shard folders.`);
  }
  return { plan: plans[0], dirs };
}

export async function mergeShards(
  shardDirs: readonly string[],
  outDir: string,
  opts: MergeOptions = {},
): Promise<GenerationSummary> {
  checkOutputFolder(outDir, 'the merged dataset');
  const { plan: shardPlan, dirs } = await loadShards(shardDirs);
  const n = dirs.length;
  const G = shardPlan.generated;
  const filter = checkFilter(opts.filter ?? shardPlan.filter);
  const plan: RunPlan = { ...shardPlan, shard: null, filter, count: G - filteredCount(G, filter) };

  if ((await exists(outDir)) && (await readdir(outDir)).length > 0) {
    throw new UserError(`The merge folder ${outDir} is not empty; choose an empty folder.`);
  }
  await ensureTmpDir(outDir);

  // One manifest reader per shard; sample k is the next line of shard k mod n.
  const readers = dirs.map((d) => readManifest(join(d, MANIFEST))[Symbol.asyncIterator]());
  const latentIn = await Promise.all(dirs.map((d) => open(join(d, LATENTS), 'r')));
  const manifestOut = await open(join(outDir, MANIFEST), 'w');
  const latentOut = await open(join(outDir, LATENTS), 'w');
  const rec = latentRecordBytes(plan.zDim);
  const recBuf = Buffer.alloc(rec);
  const taken = new Array<number>(n).fill(0);
  try {
    await latentOut.write(latentsHeader(plan.zDim));
    for (let k = 0; k < G; k++) {
      const s = k % n;
      const next = await readers[s].next();
      const r = next.done ? undefined : next.value;
      if (!r) {
        throw new UserError(
          `Shard ${s}/${n} (${dirs[s]}) has only ${taken[s]} of its ${sliceSize(G, { index: s, count: n })} samples; resume it before merging.`,
        );
      }
      if (r.index !== k)
        throw new UserError(
          `${join(dirs[s], MANIFEST)} lists sample ${r.index} where sample ${k} was expected; the shard is damaged.`,
        );
      const files = sampleFilePaths(r.name, plan.formats);
      for (const rel of [...files.core, ...files.format]) await linkOrCopyAtomic(join(dirs[s], rel), outDir, rel);
      const { bytesRead } = await latentIn[s].read(recBuf, 0, rec, LATENTS_HEADER_BYTES + taken[s] * rec);
      if (bytesRead !== rec)
        throw new UserError(`${join(dirs[s], LATENTS)} is shorter than its manifest; the shard is damaged.`);
      await latentOut.write(recBuf);
      await manifestOut.write(manifestLine({ ...r, status: 'pending' }));
      taken[s]++;
    }
    await manifestOut.datasync();
    await latentOut.datasync();
  } finally {
    await manifestOut.close();
    await latentOut.close();
    await Promise.all(latentIn.map((f) => f.close()));
    await Promise.all(readers.map((it) => it.return?.(undefined)));
  }
  await writeFileAtomic(outDir, RUN_JSON, planToJson(plan));
  const r = await finalizeDataset(outDir, plan, { contactSheet: opts.contactSheet });
  return {
    outDir,
    status: 'finished',
    generated: G,
    done: G,
    kept: r.kept,
    filtered: r.filtered,
    formats: plan.formats,
  };
}
