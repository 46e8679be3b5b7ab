/**
 * Which sample a label file (or a COCO image) belongs to, from its name: `<sample id>.<ext>`, or
 * `seed-<seed>.<ext>` for the one sample with that seed — the names `dgs label export` writes.
 */
import path from 'node:path';
import { UserError } from '../../shared/errors';
import type { Sample } from '../../shared/project-types';

export class SampleNames {
  private readonly byId: Map<string, Sample>;

  constructor(private readonly samples: readonly Sample[]) {
    this.byId = new Map(samples.map((s) => [s.id, s]));
  }

  /** The sample `name` (a file name or path; folders and extension are ignored) refers to; `where` names it in errors. */
  sampleFor(name: string, where: string): Sample {
    const stem = path.basename(name).replace(/\.[^.]*$/, '');
    const bySeed = /^seed-(\d+)$/.exec(stem);
    if (bySeed) {
      const seed = Number(bySeed[1]);
      const matches = this.samples.filter((s) => s.seed === seed);
      if (matches.length === 0)
        throw new UserError(
          `${where} names seed ${seed}, but the project has no sample with that seed; add it with \`dgs sample --seed ${seed} --count 1\`.`,
        );
      if (matches.length > 1)
        throw new UserError(
          `${where} names seed ${seed}, which the project holds at several ψ; name the file by sample id instead.`,
        );
      return matches[0];
    }
    const sample = this.byId.get(stem);
    if (!sample)
      throw new UserError(
        `${where} is not named after a sample of this project; name label files <sample id>.png (see \`dgs label export\`).`,
      );
    return sample;
  }
}
