import { UserError } from '../../shared/errors';
import { floatOption, intOption, stringOption } from '../args';
import { knownAuthor } from '../author';
import type { Command } from '../command';
import { JSON_PROGRESS_OPTION, progressFor } from '../progress';

export const sampleCommand: Command = {
  words: ['sample'],
  summary: 'add seeded samples to the gallery',
  positionals: [1, 1],
  options: {
    count: { type: 'string' },
    seed: { type: 'string' },
    psi: { type: 'string' },
    out: { type: 'string' },
    batch: { type: 'string' },
    provider: { type: 'string' },
    author: { type: 'string' },
    ...JSON_PROGRESS_OPTION,
  },
  usage: `
Usage: dgs sample <file.dgs> --count K [--seed S] [--psi P] [--out DIR] [--batch B] [--provider auto|cpu|cuda]
                  [--author NAME] [--json-progress]

Add K samples with seeds S, S+1, …, S+K-1 (default S: one past the largest seed in the project) at
truncation ψ = P (default: the model's defaultPsi). Each sample stores its z and w. A (seed, ψ) the
project already holds is skipped. With --out, writes each new sample's image as DIR/<sample id>.png;
the same seed and ψ give byte-identical PNGs on every run and machine. The samples' creator is NAME
(default: $DGS_AUTHOR, or the name you gave before; none when unknown).`,
  async run({ positionals, values, out, err }) {
    const { addSamples } = await import('../../engine/jobs/sample');
    const { withProject } = await import('../session');
    const count = intOption(values.count, '--count', 1, 100000, NaN);
    if (Number.isNaN(count)) throw new UserError('dgs sample needs --count K (how many samples to add).');
    const batch = intOption(values.batch, '--batch', 1, 256, 8);
    const seed = values.seed === undefined ? undefined : intOption(values.seed, '--seed', 0, 0xffffffff, 0);
    const psi = values.psi === undefined ? undefined : floatOption(values.psi, '--psi', 0, 2, 0.7);
    const outDir = stringOption(values.out);
    const author = knownAuthor(values);
    await withProject(
      positionals[0],
      { author, provider: stringOption(values.provider), err },
      async (project, compute) => {
        const bar = progressFor(values, err, 'sampling');
        const r = await addSamples(project, compute, {
          count,
          seed,
          psi,
          batch,
          outDir,
          provider: stringOption(values.provider),
          onProgress: (p) => bar.update(p.done, p.total, `${p.done}/${p.total}`),
        });
        bar.done();
        out(
          `Added ${r.added.length} samples (seeds ${r.firstSeed}–${r.lastSeed}, ψ ${r.psi}) on ${r.provider}${r.skipped ? `; ${r.skipped} already in the project were skipped` : ''}${outDir ? `; images in ${outDir}` : ''}.`,
        );
      },
    );
  },
};
