/**
 * runGeneration: a stream of labeled samples → a dataset folder (docs/dataset-format.md).
 *
 * Streaming: batch b's files are encoded and written by a writer thread (writer-pool.ts) while the
 * source produces batch b+1 on this thread; only two batches of pixels are ever held, plus one score
 * per sample at the end for the filter.
 * Crash safety: each sample's files are written atomically; then its latent record and manifest line
 * are appended (in that order, flushed). The manifest is the commit log: resume continues right after
 * its last complete line. Determinism: every byte depends only on the run plan and the samples.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../shared/errors';
import { WORK_DIR, appendDurable, ensureTmpDir, sweepTmp, writeFileAtomic } from './atomic-fs';
import { checkFreeSpace, estimateBytesPerSample } from './disk-space';
import { README, RUN_JSON, exists, finalizeDataset, readPlan } from './finalize';
import {
  LATENTS,
  MANIFEST,
  latentRecords,
  latentsHeader,
  manifestLine,
  repairLatents,
  repairManifest,
} from './journal';
import {
  planDifferences,
  planRun,
  planToJson,
  sampleName,
  seedForIndex,
  sliceIndex,
  sliceSize,
  type RunPlan,
} from './run-plan';
import { classPalette, type SampleWriteContext } from './sample-files';
import { openSampleWriters } from './writer-pool';
import type {
  GenerationOptions,
  GenerationProgress,
  GenerationSummary,
  LabeledSample,
  LabeledSampleSource,
} from '../../shared/dataset-types';
import { checkOutputFolder } from '../io/output-folder';

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

/**
 * Refuses a new run into a folder that holds an earlier one, with the code that lets a front end offer
 * to resume it (the studio's Resume button, the CLI's --resume); anything else in the folder is left to
 * the writer's own checks.
 */
export function checkNoEarlierRun(root: string, resume: boolean): void {
  if (!resume && existsSync(join(root, RUN_JSON)))
    throw new UserError(
      `The output folder ${root} already holds a generation run; resume it, or choose an empty folder.`,
      {
        code: 'resumable',
      },
    );
}

/** Creates the folder for a new run, or checks that an existing one continues this very run; returns samples done. */
async function prepareFolder(root: string, plan: RunPlan, resume: boolean): Promise<number> {
  const fresh = await isEmptyDir(root);
  if (!fresh && !resume) {
    checkNoEarlierRun(root, resume);
    throw new UserError(`The output folder ${root} is not empty and holds no generation run; choose an empty folder.`);
  }
  if (fresh || !(await exists(join(root, RUN_JSON)))) {
    // Without run.json a folder holding only our first files was killed while being set up: start over.
    const initFiles = [LATENTS, MANIFEST, WORK_DIR];
    if (!fresh && !(await readdir(root)).every((f) => initFiles.includes(f))) {
      throw new UserError(`${root} is not empty and holds no generation run to resume; choose an empty folder.`);
    }
    await mkdir(root, { recursive: true });
    await ensureTmpDir(root);
    await writeFileAtomic(root, LATENTS, latentsHeader(plan.zDim));
    await writeFile(join(root, MANIFEST), '');
    await writeFileAtomic(root, RUN_JSON, planToJson(plan)); // written last: its presence means "initialised"
    return 0;
  }
  const previous = await readPlan(root);
  const diff = planDifferences(previous, plan, false);
  if (diff.length > 0) {
    throw new UserError(
      `${root} holds a run with a different ${diff.join(', ')}; resume with the same settings as the first time, or choose another folder.`,
    );
  }
  await sweepTmp(root);
  const done = await repairManifest(join(root, MANIFEST));
  const total = sliceSize(plan.generated, plan.shard);
  if (done > total)
    throw new UserError(`${join(root, MANIFEST)} lists more samples than the run has; the folder is damaged.`);
  await repairLatents(join(root, LATENTS), plan.zDim, done);
  return done;
}

function checkSamples(samples: LabeledSample[], seeds: number[], plan: RunPlan): void {
  const px = plan.resolution * plan.resolution;
  const maxClass = Math.max(...plan.classes.map((c) => c.index));
  if (samples.length !== seeds.length)
    throw new Error(`The sample source returned ${samples.length} samples for ${seeds.length} seeds.`);
  samples.forEach((s, i) => {
    if (s.seed !== seeds[i])
      throw new Error(`The sample source returned seed ${s.seed} where ${seeds[i]} was asked for.`);
    if (s.rgb.length !== px * 3 || s.labels.length !== px)
      throw new Error(`Sample ${s.seed} does not have ${plan.resolution}×${plan.resolution} pixels.`);
    if (!Number.isFinite(s.score)) throw new Error(`Sample ${s.seed} has no finite uncertainty score.`);
    for (let j = 0; j < px; j++)
      if (s.labels[j] > maxClass)
        throw new Error(`Sample ${s.seed} has class id ${s.labels[j]} but the classes end at ${maxClass}.`);
  });
}

/** Where the work of a run happens besides the caller's thread. */
export interface GenerationThreads {
  /** The sample writer thread's script (null: files are written in the caller's thread). */
  writerScript: URL | null;
}

/** Generates (or continues) a run; see docs/dataset-format.md for what lands in `opts.outDir`. */
export async function runGeneration(
  source: LabeledSampleSource,
  opts: GenerationOptions,
  threads: GenerationThreads = { writerScript: null },
): Promise<GenerationSummary> {
  const plan = planRun(source.info, opts);
  const root = opts.outDir;
  checkOutputFolder(root, 'the dataset');
  const batch = opts.batch ?? 8;
  if (!Number.isInteger(batch) || batch < 1)
    throw new UserError(`The batch size must be a whole number of at least 1; got ${batch}.`);
  const total = sliceSize(plan.generated, plan.shard);
  const summary = (
    status: GenerationSummary['status'],
    done: number,
    kept: number | null = null,
  ): GenerationSummary => ({
    outDir: root,
    status,
    generated: plan.generated,
    done,
    kept,
    filtered: kept === null ? null : plan.generated - kept,
    formats: plan.formats,
  });

  const bytesPerSample = estimateBytesPerSample(plan.resolution, plan.zDim, plan.formats);
  // Checked before anything is created, so a refused run leaves no folder behind (and again on resume).
  if (!opts.resume || (await isEmptyDir(root))) await checkFreeSpace(root, total, bytesPerSample);
  const startDone = await prepareFolder(root, plan, opts.resume ?? false);
  if (!plan.shard && startDone === total && (await exists(join(root, README)))) {
    const r = await finalizeDataset(root, plan, { contactSheet: opts.contactSheet });
    return summary('finished', total, r.kept);
  }
  await checkFreeSpace(root, total - startDone, bytesPerSample);

  const ctx: SampleWriteContext = {
    root,
    size: plan.resolution,
    formats: plan.formats,
    palette: classPalette(plan.classes),
  };
  const started = performance.now();
  let done = startDone;
  const report = (phase: GenerationProgress['phase']): void => {
    if (!opts.onProgress) return;
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? (done - startDone) / seconds : 0;
    opts.onProgress({ done, total, rate, etaSeconds: rate > 0 ? (total - done) / rate : null, phase });
  };
  const seedsFrom = (j: number): number[] => {
    const seeds: number[] = [];
    for (let m = j; m < Math.min(total, j + batch); m++) seeds.push(seedForIndex(plan.seed, sliceIndex(m, plan.shard)));
    return seeds;
  };
  const produce = (seeds: number[]): Promise<LabeledSample[]> | null =>
    seeds.length > 0 ? source.produce(seeds) : null;

  report('generating');
  const writers = openSampleWriters(ctx, threads.writerScript);
  try {
    done = await generateBatches();
  } finally {
    await writers.dispose();
  }

  async function generateBatches(): Promise<number> {
    let seeds = seedsFrom(done);
    let next = opts.signal?.aborted ? null : produce(seeds);
    while (next) {
      const samples = await next;
      checkSamples(samples, seeds, plan);
      const following = seedsFrom(done + samples.length);
      const records = samples.map((s, i) => {
        const k = sliceIndex(done + i, plan.shard);
        return { k, name: sampleName(k), s };
      });
      // Overlap: the writer thread encodes and writes this batch while the source (onnxruntime, which
      // blocks this thread) produces the next.
      const written = Promise.all(records.map((r) => writers.write(r.name, r.s)));
      written.catch(() => undefined); // an error surfaces when awaited; avoid an unhandled rejection meanwhile
      next = opts.signal?.aborted ? null : produce(following);
      next?.catch(() => undefined);
      await written;
      await appendDurable(join(root, LATENTS), latentRecords(samples, plan.zDim));
      await appendDurable(
        join(root, MANIFEST),
        records
          .map((r) =>
            manifestLine({
              name: r.name,
              index: r.k,
              seed: r.s.seed,
              psi: plan.psi,
              modelSha256: plan.modelSha256,
              interpreterId: plan.interpreterId,
              score: r.s.score,
              status: 'pending',
            }),
          )
          .join(''),
      );
      done += samples.length;
      seeds = following;
      report('generating');
      if (opts.signal?.aborted && next) {
        await next.catch(() => undefined);
        next = null;
      }
    }
    return done;
  }
  if (done < total) return summary('cancelled', done);
  if (plan.shard) return summary('shard-finished', done);
  report('finalizing');
  const r = await finalizeDataset(root, plan, { contactSheet: opts.contactSheet });
  report('finished');
  return summary('finished', done, r.kept);
}
