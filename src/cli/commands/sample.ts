import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../shared/errors';
import { encodeRgbPng } from '../../engine/io/png';
import { Project } from '../../engine/project';
import { loadProjectGenerator } from '../../compute/project-model';
import { floatOption, intOption, stringOption } from '../args';
import type { Command } from '../command';

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
  },
  usage: `
Usage: dgs sample <file.dgs> --count K [--seed S] [--psi P] [--out DIR] [--batch B] [--provider auto|cpu|cuda]

Add K samples with seeds S, S+1, …, S+K-1 (default S: one past the largest seed in the project) at
truncation ψ = P (default: the model's defaultPsi). Each sample stores its z and w. A (seed, ψ) the
project already holds is skipped. With --out, writes each new sample's image as DIR/<sample id>.png;
the same seed and ψ give byte-identical PNGs on every run and machine.`,
  async run({ positionals, values, out, err }) {
    const count = intOption(values.count, '--count', 1, 100000, NaN);
    if (Number.isNaN(count)) throw new UserError('dgs sample needs --count K (how many samples to add).');
    const batch = intOption(values.batch, '--batch', 1, 256, 8);
    const outDir = stringOption(values.out);
    const project = Project.open(positionals[0]);
    try {
      const gen = await loadProjectGenerator(project, stringOption(values.provider));
      try {
        const existing = project.listSamples();
        const psi = floatOption(values.psi, '--psi', 0, 2, gen.manifest.defaultPsi);
        const firstSeed = values.seed !== undefined
          ? intOption(values.seed, '--seed', 0, 0xffffffff, 0)
          : existing.reduce((m, s) => Math.max(m, s.seed + 1), 0);
        if (firstSeed + count - 1 > 0xffffffff) throw new UserError('Seeds go up to 4294967295; choose a smaller --seed or --count.');
        const have = new Set(existing.filter((s) => s.psi === psi).map((s) => s.seed));
        const seeds = Array.from({ length: count }, (_, i) => firstSeed + i).filter((s) => !have.has(s));
        if (outDir) fs.mkdirSync(outDir, { recursive: true });
        let added = 0;
        for (let i = 0; i < seeds.length; i += batch) {
          const chunk = seeds.slice(i, i + batch);
          const result = await gen.generate(chunk, psi, false);
          const { zDim, wDim } = gen.manifest;
          const rows = chunk.map((seed, b) => ({
            seed,
            psi,
            z: result.z.slice(b * zDim, (b + 1) * zDim),
            w: result.w.slice(b * wDim, (b + 1) * wDim),
          }));
          const samples = project.addSamples(rows);
          if (outDir) {
            const R = gen.manifest.resolution;
            samples.forEach((s, b) => fs.writeFileSync(path.join(outDir, `${s.id}.png`), encodeRgbPng(result.images[b], R, R)));
          }
          added += samples.length;
          err.write(`\rsampled ${added}/${seeds.length}`);
        }
        if (seeds.length) err.write('\n');
        const skipped = count - seeds.length;
        out(`Added ${added} samples (seeds ${firstSeed}–${firstSeed + count - 1}, ψ ${psi}) on ${gen.provider.name}${skipped ? `; ${skipped} already in the project were skipped` : ''}${outDir ? `; images in ${outDir}` : ''}.`);
      } finally {
        await gen.close();
      }
    } finally {
      project.close();
    }
  },
};
