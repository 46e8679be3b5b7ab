/**
 * Which samples to annotate next (active learning: the studio's **Next uncertain sample** and
 * `dgs suggest`): a pool of fresh seeds is drawn, the project's interpreter in use labels each image,
 * and the seeds are ranked by the mean over pixels of the ensemble's Jensen–Shannon divergence — the
 * images it is least sure about teach it the most. The picks can be added to the project as samples.
 */
import type { Compute, CountProgress } from '../../shared/compute-api';
import type { CallControl } from '../../shared/rpc';
import { UserError } from '../../shared/errors';
import type { Sample } from '../../shared/project-types';
import type { Project } from '../project';
import { projectModel } from '../project/model';
import { interpreterInUse } from '../project/interpreter-choice';
import { addSamples } from './sample';

export interface SuggestOptions extends CallControl<CountProgress> {
  /** How many seeds to pick. */
  count: number;
  /** How many fresh seeds to rank (default 8 per pick, at least 32). */
  pool?: number;
  /** First seed of the pool; default one past the largest seed in the project. */
  seed?: number;
  /** Truncation ψ; default the model's defaultPsi. */
  psi?: number;
  /** Images per compute call (per-pixel uncertainty travels back, so keep it modest at 1024²). */
  batch?: number;
  /** Add the picks to the project as samples. */
  add?: boolean;
  provider?: string;
  creator?: string;
  /** The interpreter that ranks the seeds (an id or its start); default: the project's interpreter in use. */
  interpreter?: string;
}

export interface Suggestion {
  seed: number;
  /** Mean per-pixel JS divergence of the ensemble, in nats. */
  uncertainty: number;
}

export interface SuggestResult {
  /** The `count` most uncertain seeds, most uncertain first. */
  picks: Suggestion[];
  /** Every seed of the pool, most uncertain first. */
  ranked: Suggestion[];
  psi: number;
  interpreterId: string;
  provider: string;
  /** The samples added (with `add`). */
  added: Sample[];
}

function requireInterpreter(project: Project, modelSha256: string, override?: string) {
  const trained = interpreterInUse(project, modelSha256, override);
  if (!trained)
    throw new UserError(
      `${project.path} has no trained interpreter for its model yet; annotate a few samples and run \`dgs train ${project.path}\` first.`,
    );
  return trained;
}

/** Mean of each image's per-pixel uncertainty for the given seeds. */
export async function meanUncertainty(
  project: Project,
  compute: Compute,
  seeds: number[],
  psi: number,
  opts: Pick<SuggestOptions, 'batch' | 'provider' | 'onProgress' | 'signal' | 'interpreter'> = {},
): Promise<number[]> {
  const { ref } = projectModel(project, opts.provider);
  const trained = requireInterpreter(project, ref.sha256, opts.interpreter);
  const batch = opts.batch ?? 8;
  const means: number[] = [];
  for (let i = 0; i < seeds.length; i += batch) {
    opts.signal?.throwIfAborted();
    const chunk = seeds.slice(i, i + batch);
    const out = await compute.label(
      ref,
      trained.ref,
      { input: { seeds: chunk, psi }, want: { uncertainty: true } },
      { signal: opts.signal },
    );
    for (const u of out.uncertainty) {
      let sum = 0;
      for (let p = 0; p < u.length; p++) sum += u[p];
      means.push(sum / u.length);
    }
    opts.onProgress?.({ done: means.length, total: seeds.length });
  }
  return means;
}

export async function suggestSamples(project: Project, compute: Compute, opts: SuggestOptions): Promise<SuggestResult> {
  const { ref, manifest } = projectModel(project, opts.provider);
  const trained = requireInterpreter(project, ref.sha256, opts.interpreter);
  const poolSize = opts.pool ?? Math.max(32, 8 * opts.count);
  if (poolSize < opts.count)
    throw new UserError(
      `The pool (${poolSize} seeds) must be at least as large as the number of picks (${opts.count}).`,
    );
  const psi = opts.psi ?? manifest.defaultPsi;
  const existing = project.listSamples();
  const have = new Set(existing.filter((s) => s.psi === psi).map((s) => s.seed));
  let seed = opts.seed ?? existing.reduce((m, s) => Math.max(m, s.seed + 1), 0);
  const pool: number[] = [];
  while (pool.length < poolSize) {
    if (seed > 0xffffffff) throw new UserError('Seeds go up to 4294967295; choose a smaller first seed or pool.');
    if (!have.has(seed)) pool.push(seed);
    seed++;
  }
  const provider = await compute.model(ref);
  const means = await meanUncertainty(project, compute, pool, psi, opts);
  const ranked = pool
    .map((s, i) => ({ seed: s, uncertainty: means[i] }))
    .sort((a, b) => b.uncertainty - a.uncertainty || a.seed - b.seed);
  const picks = ranked.slice(0, opts.count);
  const added: Sample[] = [];
  if (opts.add) {
    for (const p of picks)
      added.push(
        ...(
          await addSamples(project, compute, {
            count: 1,
            seed: p.seed,
            psi,
            provider: opts.provider,
            creator: opts.creator,
          })
        ).added,
      );
  }
  return { picks, ranked, psi, interpreterId: trained.id, provider: provider.name, added };
}
