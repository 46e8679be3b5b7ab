/**
 * How a user names a sample on the command line: its id, or `seed-<seed>` for the one live sample with
 * that seed (the convention label files use too).
 */
import { UserError } from '../../shared/errors';
import type { Sample } from '../../shared/project-types';
import type { Project } from './project';

export function sampleByRef(p: Project, ref: string): Sample {
  const bySeed = /^seed-(\d+)$/.exec(ref.trim());
  if (bySeed) {
    const matches = p.listSamples().filter((s) => s.seed === Number(bySeed[1]));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1)
      throw new UserError(
        `${p.path} holds seed ${bySeed[1]} at several ψ; name the sample by its id (\`dgs info ${p.path} --samples\`).`,
      );
    throw new UserError(
      `${p.path} has no sample with seed ${bySeed[1]}; list the samples with \`dgs info ${p.path} --samples\`.`,
    );
  }
  const s = p.getSample(ref.trim());
  if (!s)
    throw new UserError(
      `${p.path} has no sample with id ${ref}; list the samples with \`dgs info ${p.path} --samples\`.`,
    );
  return s;
}
