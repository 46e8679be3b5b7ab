import { UserError } from '../../shared/errors';
import { floatOption, intOption, stringOption } from '../args';
import type { Command } from '../command';
import { progressBar } from '../progress';

export const suggestCommand: Command = {
  words: ['suggest'],
  relaunch: true,
  summary: "rank fresh seeds by the interpreter's uncertainty (what to annotate next)",
  positionals: [1, 1],
  options: {
    count: { type: 'string' },
    pool: { type: 'string' },
    seed: { type: 'string' },
    psi: { type: 'string' },
    batch: { type: 'string' },
    add: { type: 'boolean' },
    json: { type: 'boolean' },
    provider: { type: 'string' },
    interpreter: { type: 'string' },
  },
  usage: `
Usage: dgs suggest <file.dgs> --count K [--pool N] [--seed S] [--psi P] [--add] [--json] [--interpreter ID]
                   [--provider auto|cpu|cuda]

Draw N fresh seeds (default max(32, 8·K); from S, default one past the largest seed in the project;
seeds the project holds at ψ are skipped), label each image with the project's interpreter in use
(\`dgs info\` marks it) or the interpreter ID, and
print the K whose mean per-pixel uncertainty (Jensen–Shannon divergence of the ensemble, nats) is
highest: annotating them teaches the interpreter the most. With --add they become samples.`,
  async run({ positionals, values, out, err }) {
    const { suggestSamples } = await import('../../engine/jobs/suggest');
    const { withProject } = await import('../session');
    const count = intOption(values.count, '--count', 1, 10000, NaN);
    if (Number.isNaN(count)) throw new UserError('dgs suggest needs --count K (how many seeds to pick).');
    const pool = values.pool === undefined ? undefined : intOption(values.pool, '--pool', 1, 1_000_000, 0);
    const seed = values.seed === undefined ? undefined : intOption(values.seed, '--seed', 0, 0xffffffff, 0);
    const psi = values.psi === undefined ? undefined : floatOption(values.psi, '--psi', 0, 2, 0.7);
    const batch = intOption(values.batch, '--batch', 1, 256, 8);
    await withProject(positionals[0], {}, async (project, compute) => {
      const bar = progressBar(err, 'scoring');
      const r = await suggestSamples(project, compute, {
        count,
        pool,
        seed,
        psi,
        batch,
        add: values.add === true,
        provider: stringOption(values.provider),
        interpreter: stringOption(values.interpreter),
        onProgress: (p) => bar.update(p.done, p.total, `${p.done}/${p.total}`),
      });
      bar.done();
      if (values.json === true) {
        out(
          JSON.stringify(
            {
              psi: r.psi,
              interpreter: r.interpreterId,
              provider: r.provider,
              picks: r.picks,
              added: r.added.map((s) => ({ id: s.id, seed: s.seed })),
            },
            null,
            2,
          ),
        );
        return;
      }
      const typical = r.ranked[Math.floor(r.ranked.length / 2)].uncertainty;
      out(
        `The ${r.picks.length} most uncertain of ${r.ranked.length} fresh seeds at ψ ${r.psi} (median of the pool ${typical.toFixed(4)} nats):`,
      );
      r.picks.forEach((p, i) =>
        out(`  ${String(i + 1).padStart(3)}. seed ${p.seed}   mean uncertainty ${p.uncertainty.toFixed(4)}`),
      );
      if (r.added.length > 0) out(`Added them as samples: ${r.added.map((s) => s.id).join(', ')}.`);
      else
        out(
          `Add them with --add, or one by one with \`dgs sample ${positionals[0]} --seed S --count 1 --psi ${r.psi}\`.`,
        );
    });
  },
};
