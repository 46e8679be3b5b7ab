/**
 * Adding seeded samples to a project (the gallery's **Sample** button and `dgs sample`): compute maps
 * each seed to z and w (and renders the image when asked), the project stores them. A (seed, ψ) the
 * project already holds is skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Compute, CountProgress } from '../../shared/compute-api';
import type { CallControl } from '../../shared/rpc';
import { UserError } from '../../shared/errors';
import type { Sample } from '../../shared/project-types';
import { encodeRgbPng } from '../../node/io/png';
import type { Project } from '../project';
import { checkOutputFolder } from '../../node/io/output-folder';
import { projectModel, projectPsi } from '../project/model';

export interface SampleOptions extends CallControl<CountProgress> {
  count: number;
  /** First seed; default one past the largest seed in the project. */
  seed?: number;
  /** Truncation ψ; default the model's defaultPsi. */
  psi?: number;
  /** Samples per compute call (progress and saving go batch by batch). */
  batch?: number;
  /** Write each new sample's image as DIR/<sample id>.png. */
  outDir?: string;
  provider?: string;
  creator?: string;
}

export interface SampleResult {
  added: Sample[];
  firstSeed: number;
  lastSeed: number;
  psi: number;
  skipped: number;
  provider: string;
}

const MAX_SEED = 0xffffffff;

export async function addSamples(project: Project, compute: Compute, opts: SampleOptions): Promise<SampleResult> {
  const { ref, manifest } = projectModel(project, opts.provider);
  const existing = project.listSamples();
  const psi = opts.psi ?? projectPsi(project, manifest);
  const firstSeed = opts.seed ?? existing.reduce((m, s) => Math.max(m, s.seed + 1), 0);
  const lastSeed = firstSeed + opts.count - 1;
  if (lastSeed > MAX_SEED) throw new UserError(`Seeds go up to ${MAX_SEED}; choose a smaller seed or count.`);
  const have = new Set(existing.filter((s) => s.psi === psi).map((s) => s.seed));
  const seeds = Array.from({ length: opts.count }, (_, i) => firstSeed + i).filter((s) => !have.has(s));
  const provider = await compute.model(ref);
  if (opts.outDir) {
    checkOutputFolder(opts.outDir, 'the sample images');
    fs.mkdirSync(opts.outDir, { recursive: true });
  }
  const batch = opts.batch ?? 8;
  const { zDim, wDim, resolution: R } = manifest;
  const added: Sample[] = [];
  for (let i = 0; i < seeds.length; i += batch) {
    opts.signal?.throwIfAborted();
    const chunk = seeds.slice(i, i + batch);
    const result = await compute.sample(
      ref,
      { seeds: chunk, psi, images: opts.outDir !== undefined },
      { signal: opts.signal },
    );
    const rows = chunk.map((seed, b) => ({
      seed,
      psi,
      creator: opts.creator,
      z: result.z.slice(b * zDim, (b + 1) * zDim),
      w: result.w.slice(b * wDim, (b + 1) * wDim),
    }));
    const samples = project.addSamples(rows);
    if (opts.outDir)
      samples.forEach((s, b) =>
        fs.writeFileSync(path.join(opts.outDir!, `${s.id}.png`), encodeRgbPng(result.images[b], R, R)),
      );
    added.push(...samples);
    opts.onProgress?.({ done: added.length, total: seeds.length });
  }
  return { added, firstSeed, lastSeed, psi, skipped: opts.count - seeds.length, provider: provider.name };
}
