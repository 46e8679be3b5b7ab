/** Sharing a project between labelers (docs/sharing.md): `dgs merge`, `dgs copy`, `dgs resolve`. */
import { UserError } from '../../shared/errors';
import type { MergeReport } from '../../engine/project';
import type { ConflictChoice } from '../../shared/project-types';
import { intOption, listOption, stringOption } from '../args';
import { requireAuthor } from '../author';
import type { Command } from '../command';
import { plural } from '../../shared/plural';

function outOption(values: Record<string, unknown>, command: string): string {
  const out = stringOption(values.out);
  if (out === undefined || out.trim() === '') throw new UserError(`${command} needs -o FILE for the result.`);
  return out;
}

export function describeMerge(r: MergeReport): string[] {
  const lines = [`Merged ${r.theirs} into a copy of ${r.mine}: ${r.out}.`];
  const a = r.annotations;
  lines.push(`Annotations: ${a.fromTheirs} taken from ${r.theirs}, ${plural(a.conflicts, 'conflict')} to resolve.`);
  const s = r.samples;
  if (s.added || s.matchedByIdentity)
    lines.push(`Samples: ${s.added} added, ${s.matchedByIdentity} added on both sides and merged into one.`);
  const c = r.classes;
  if (c.added.length) lines.push(`Classes added: ${c.added.join(', ')}.`);
  if (c.matchedByName.length) lines.push(`Classes matched by name: ${c.matchedByName.join(', ')}.`);
  for (const x of c.renamed) lines.push(`Class "${x.from}" is renamed "${x.to}".`);
  for (const x of c.renumbered)
    lines.push(
      `Class "${x.name}" had index ${x.from} in ${r.theirs} and has ${x.to} here; its label maps were rewritten.`,
    );
  if (r.interpreters.added || r.generationRuns.added)
    lines.push(`Interpreters added: ${r.interpreters.added}; generation runs added: ${r.generationRuns.added}.`);
  lines.push(...r.notes);
  if (a.conflicts)
    lines.push(
      `List them with \`dgs info ${r.out} --json\` and resolve them in the app or with \`dgs resolve ${r.out} <sample id> --keep mine|theirs|both\`.`,
    );
  return lines;
}

export const mergeCommand: Command = {
  words: ['merge'],
  summary: "merge a labeler's copy with yours into a new file",
  positionals: [2, 2],
  options: {
    out: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    unrelated: { type: 'boolean' },
    author: { type: 'string' },
    json: { type: 'boolean' },
  },
  usage: `
Usage: dgs merge <mine.dgs> <theirs.dgs> -o <out.dgs> [--force] [--unrelated] [--author NAME] [--json]

Merge two copies of a project into a new file; the inputs are never changed. Samples match by id, or by
seed and ψ when both sides added the same one. An annotation changed on one side takes that side's
version; one changed on both sides since their common version is a conflict that keeps both (the
result shows mine; \`dgs info --json\` lists them, \`dgs resolve\` or the app settles them). Classes
match by id or by name, renames are kept; interpreters and generation runs come from both. Copies on
different models are refused, and so are two different projects (a new project, not a copy of this
one) unless --unrelated is given; the result then keeps mine's name. -o never replaces an existing
file unless --force is given.`,
  async run({ positionals, values, out }) {
    const { mergeProjects } = await import('../../engine/project');
    const target = outOption(values, 'dgs merge');
    const author = await requireAuthor(values, 'dgs merge');
    const report = mergeProjects(positionals[0], positionals[1], target, {
      force: values.force === true,
      unrelated: values.unrelated === true,
      author,
    });
    if (values.json) out(JSON.stringify(report, null, 2));
    else for (const line of describeMerge(report)) out(line);
  },
};

export const copyCommand: Command = {
  words: ['copy'],
  summary: 'save a labeler copy (no interpreters, no generation runs)',
  positionals: [1, 1],
  options: {
    out: { type: 'string', short: 'o' },
    for: { type: 'string' },
    samples: { type: 'string' },
    count: { type: 'string' },
    force: { type: 'boolean' },
    author: { type: 'string' },
  },
  usage: `
Usage: dgs copy <file.dgs> -o <copy.dgs> [--for NAME [--samples ID|seed-S,… | --count K]] [--force] [--author NAME]

Save a copy of the project for a labeler: the model, classes, samples and annotations, without the
interpreters' weights and the generation runs (small enough to mail). With --for NAME and --samples or
--count, those samples (or the first K nobody has and nobody annotated) are assigned to NAME, in the copy
and in <file.dgs>, so the gallery can show each labeler theirs and the next copy picks others. Merge the
copy back with \`dgs merge\` when the labeler sends it.`,
  async run({ positionals, values, out }) {
    const { makeLabelerCopy } = await import('../../engine/project');
    const target = outOption(values, 'dgs copy');
    const labeler = stringOption(values.for);
    const samples = listOption(values.samples);
    if (values.samples !== undefined && (!samples || samples.length === 0))
      throw new UserError('--samples needs at least one sample id (comma-separated).');
    const count = values.count === undefined ? undefined : intOption(values.count, '--count', 1, 1_000_000, 1);
    if (labeler !== undefined && labeler.trim() === '')
      throw new UserError('--for needs the name of the labeler the copy is for.');
    const assigning = labeler !== undefined && (samples !== undefined || count !== undefined);
    const author = assigning ? await requireAuthor(values, 'dgs copy --for') : null;
    const r = makeLabelerCopy(positionals[0], target, {
      labeler,
      samples,
      count,
      author,
      force: values.force === true,
    });
    const left =
      r.dropped.interpreters + r.dropped.generationRuns > 0
        ? ` without its ${plural(r.dropped.interpreters, 'interpreter')} and ${plural(r.dropped.generationRuns, 'generation run')}`
        : '';
    out(`Saved ${r.out} (${(r.bytes / 1e6).toFixed(1)} MB)${left}.`);
    if (r.assigned.length) {
      const where = r.recordedInSource
        ? `in the copy and in ${positionals[0]}`
        : `in the copy only (${positionals[0]} is read-only)`;
      out(
        `Assigned ${plural(r.assigned.length, 'sample')} to ${r.labeler} ${where}: seeds ${r.assigned.map((s) => s.seed).join(', ')}.`,
      );
    }
    for (const x of r.reassigned) out(`Seed ${x.seed} was assigned to ${x.from} before.`);
  },
};

const CHOICES: readonly ConflictChoice[] = ['mine', 'theirs', 'both'];

export const resolveCommand: Command = {
  words: ['resolve'],
  summary: 'resolve an annotation conflict left by a merge',
  positionals: [2, 2],
  options: { keep: { type: 'string' }, version: { type: 'string' }, author: { type: 'string' } },
  usage: `
Usage: dgs resolve <file.dgs> <sample id>|seed-<seed>|all --keep mine|theirs|both [--version ID] [--author NAME]

Settle a conflict that \`dgs merge\` left (list them with \`dgs info --json\`): keep mine (the version the
project shows), take theirs (name it with --version when three copies disagreed), or keep both as
separate revisions (theirs kept whole in the annotation's history, mine on top). "all" resolves every
conflict the same way.`,
  async run({ positionals, values, out }) {
    const { sampleByRef } = await import('../../engine/project');
    const { withProjectFile } = await import('../session');
    const [file, which] = positionals;
    const keep = stringOption(values.keep);
    if (!keep || !(CHOICES as readonly string[]).includes(keep))
      throw new UserError(`--keep takes mine, theirs or both; got "${keep ?? ''}".`);
    const author = await requireAuthor(values, 'dgs resolve');
    await withProjectFile(file, { author }, async (project) => {
      const conflicts = project.listConflicts();
      const ids = which === 'all' ? [...new Set(conflicts.map((c) => c.sampleId))] : [sampleByRef(project, which).id];
      if (which !== 'all' && !conflicts.some((c) => c.sampleId === ids[0])) {
        throw new UserError(
          `Sample ${which} has no conflict in ${file}; list the conflicts with \`dgs info ${file} --json\`.`,
        );
      }
      project.transaction(() => {
        for (const id of ids)
          project.resolveConflict(id, keep as ConflictChoice, { versionId: stringOption(values.version) });
      });
      out(
        `Resolved ${plural(ids.length, 'conflict')} (kept ${keep}); ${plural(project.listConflicts().length, 'conflict')} left.`,
      );
    });
  },
};
