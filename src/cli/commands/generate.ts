import { UserError, userErrorCode } from '../../shared/errors';
import type { GenerationSummary } from '../../node/dataset-writer';
import { parseFormats } from '../../node/dataset-writer/run-plan';
import { floatOption, intOption, listOption, stringOption } from '../args';
import type { Command } from '../command';
import { JSON_PROGRESS_OPTION, formatSeconds, progressFor } from '../progress';

function parseShard(value: unknown): { index: number; count: number } | null {
  if (value === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(String(value));
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) {
    throw new UserError(`--shard takes i/n with 0 ≤ i < n, e.g. 0/4; got "${String(value)}".`);
  }
  return { index: Number(m[1]), count: Number(m[2]) };
}

/** --format: a comma-separated list of at least one format; an empty one is a mistake, not "none". */
function formatsOption(value: unknown) {
  const list = listOption(value);
  if (value !== undefined && (!list || list.length === 0)) {
    throw new UserError(
      '--format needs at least one of png, coco, voc, yolo (comma-separated); leave it out for the PNG pairs alone.',
    );
  }
  return parseFormats(list);
}

/** The engine's "resume it" said the command line's way: with the flag that does it. */
async function cliWording<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (e) {
    if (userErrorCode(e) !== 'resumable') throw e;
    throw new UserError((e as Error).message.replace('resume it, or', 'add --resume to continue it, or'), { cause: e });
  }
}

export function describeSummary(s: GenerationSummary): string {
  if (s.status === 'cancelled') return `Cancelled after ${s.done} samples; continue with --resume.`;
  if (s.status === 'shard-finished')
    return `Shard done: ${s.done} samples in ${s.outDir}; merge the shards with \`dgs manifest merge\`.`;
  return `Generated ${s.generated} labeled samples into ${s.outDir}: kept ${s.kept}, filtered ${s.filtered} most uncertain${s.formats.length ? `; formats: png, ${s.formats.join(', ')}` : ''}.`;
}

export const generateCommand: Command = {
  words: ['generate'],
  relaunch: true,
  summary: 'generate a labeled dataset',
  positionals: [1, 1],
  options: {
    count: { type: 'string' },
    out: { type: 'string' },
    filter: { type: 'string' },
    format: { type: 'string' },
    seed: { type: 'string' },
    psi: { type: 'string' },
    batch: { type: 'string' },
    shard: { type: 'string' },
    resume: { type: 'boolean' },
    provider: { type: 'string' },
    interpreter: { type: 'string' },
    ...JSON_PROGRESS_OPTION,
  },
  usage: `
Usage: dgs generate <file.dgs> --count N --out DIR [--filter 0.1] [--format png,coco,voc,yolo] [--seed S]
                    [--psi P] [--batch B] [--shard i/n] [--resume] [--interpreter ID]
                    [--provider auto|cpu|cuda] [--json-progress]

Generate image + label pairs with the project's interpreter in use (\`dgs info\` marks it; the newest
unless its cross-validated mIoU is lower, or the one picked in the studio), or the interpreter ID (its
first characters are enough). N is how many samples to keep: the
run generates enough that after dropping the --filter fraction most uncertain ones (default 0.1) N remain;
the dropped ones stay listed in the manifest. Sample k has seed S + k (default S = 0). --shard i/n writes
the i-th of n disjoint slices (merge them with \`dgs manifest merge\`); a shard only reads the project,
so any number run at once, and the run is not recorded in it. A non-empty DIR is refused unless
--resume continues the run in it. Same inputs give byte-identical files. See docs/dataset-format.md.`,
  async run({ positionals, values, out, err }) {
    const { generateForProject } = await import('../../engine/jobs/generate-project');
    const { withInterrupt, withProject } = await import('../session');
    const outDir = stringOption(values.out);
    if (!outDir) throw new UserError('dgs generate needs --out DIR.');
    const count = intOption(values.count, '--count', 1, 100_000_000, NaN);
    if (Number.isNaN(count)) throw new UserError('dgs generate needs --count N (how many labeled samples to keep).');
    const options = {
      outDir,
      count,
      filter: floatOption(values.filter, '--filter', 0, 0.99, 0.1),
      formats: formatsOption(values.format),
      seed: intOption(values.seed, '--seed', 0, 0xffffffff, 0),
      psi: values.psi === undefined ? undefined : floatOption(values.psi, '--psi', 0, 2, 0.7),
      batch: intOption(values.batch, '--batch', 1, 1024, 8),
      shard: parseShard(values.shard),
      resume: values.resume === true,
      provider: stringOption(values.provider),
      interpreter: stringOption(values.interpreter),
    };
    // Shards of one run read the project at the same time (array tasks, pods), so they open it read-only
    // and leave no record in it: the merged folder's run.json is the run's record.
    const readonly = options.shard !== null;
    await withProject(positionals[0], { provider: options.provider, err, readonly }, async (project, compute) => {
      const bar = progressFor(values, err, 'generating');
      const summary = await withInterrupt((signal) =>
        cliWording(
          generateForProject(project, compute, {
            ...options,
            signal,
            onProgress: (p) =>
              bar.update(
                p.done,
                p.total,
                `${p.done}/${p.total} ${p.phase}, ${p.rate.toFixed(1)}/s, ETA ${formatSeconds(p.etaSeconds)}`,
              ),
          }),
        ),
      );
      bar.done();
      out(describeSummary(summary));
    });
  },
};

export const manifestMergeCommand: Command = {
  words: ['manifest', 'merge'],
  summary: 'merge shard folders into one dataset',
  positionals: [1, 10000],
  options: { out: { type: 'string' }, filter: { type: 'string' } },
  usage: `
Usage: dgs manifest merge <shard DIR>... --out DIR [--filter F]

Merge the folders of \`dgs generate --shard i/n\` runs into one dataset, equal to an unsharded run: the
uncertainty filter is applied here, over all shards together (docs/scale-out.md).`,
  async run({ positionals, values, out }) {
    const { mergeShards } = await import('../../node/dataset-writer');
    const outDir = stringOption(values.out);
    if (!outDir) throw new UserError('dgs manifest merge needs --out DIR.');
    const filter = values.filter === undefined ? undefined : floatOption(values.filter, '--filter', 0, 0.99, 0.1);
    const summary = await mergeShards(positionals, outDir, { filter });
    out(describeSummary(summary));
  },
};
