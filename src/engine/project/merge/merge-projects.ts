/**
 * `dgs merge` and File → Merge…: two copies of a project into a new file (docs/sharing.md). Both inputs
 * are opened read-only and never modified; the output is built under a temporary name beside the
 * target — mine's copy, then theirs' changes in one transaction — and linked into place only when it is
 * complete, never over an existing file unless `force` says so.
 */
import path from 'node:path';
import { UserError } from '../../../shared/errors';
import { Project, projectContext } from '../project';
import { keepClassesInUse, keepSamplesWithWork } from './keep-work';
import { Lineage } from './lineage';
import { mergeAnnotations } from './merge-annotations';
import { mergeClasses } from './merge-classes';
import { mergeGenerationRuns, mergeInterpreters, mergeProjectRow, mergeSettings, unionHistory } from './merge-rows';
import { mergeSamples } from './merge-samples';
import { PixelRemap } from './remap';
import { emptyReport, type MergeReport } from './report';
import { placeNewFile, sameFile } from '../place-file';
import { vacuumInto } from '../save-copy';

export interface MergeOptions {
  /** Replace an existing output file. */
  force?: boolean;
  /** Who merges: recorded with the versions the merge makes. */
  author?: string | null;
  /** Merge two different projects (different project ids); the result keeps mine's name and id. */
  unrelated?: boolean;
  /** How the caller's user asks for an unrelated merge, for the refusal's sentence. */
  unrelatedHint?: string;
}

/** Copies of one project share its id; merging two different projects is almost always a wrong file. */
function checkSameProject(mine: Project, theirs: Project, opts: MergeOptions): void {
  const [a, b] = [mine.info(), theirs.info()];
  if (a.projectId === b.projectId || opts.unrelated) return;
  throw new UserError(
    `${mine.path} ("${a.name}") and ${theirs.path} ("${b.name}") are different projects, not copies of one; check that you chose the right file${opts.unrelatedHint ?? ', or merge them anyway with `dgs merge --unrelated`'}.`,
  );
}

function checkModels(mine: Project, theirs: Project): void {
  const [a, b] = [mine.info().model, theirs.info().model];
  if (a?.sha256 === b?.sha256) return;
  const describe = (m: typeof a) => (m ? `${m.name} (${m.sha256.slice(0, 12)})` : 'no model');
  throw new UserError(
    `The projects ${mine.path} and ${theirs.path} use different models (${describe(a)} and ${describe(b)}); only copies of a project on the same generator can be merged.`,
  );
}

/**
 * Merge theirs' changes into a copy of mine: every step, in order, inside one transaction of the output.
 * `mineFile` names the copy's original in sentences.
 */
function mergeInto(work: Project, theirs: Project, report: MergeReport, mineFile: string, unrelated: boolean): void {
  const out = projectContext(work);
  const other = projectContext(theirs).db;
  const lineage = new Lineage();
  lineage.addFrom(out.db, mineFile);
  lineage.addFrom(other, theirs.path);
  work.transaction(() => {
    const indexMap = mergeClasses(out, other, lineage, report);
    const usedHere = new Set(
      (out.db.prepare('SELECT class_index FROM label_class').all() as { class_index: number }[]).map(
        (r) => r.class_index,
      ),
    );
    const remap = new PixelRemap(indexMap, usedHere);
    const idMap = mergeSamples(out, other, lineage, report);
    unionHistory(out, other, idMap, remap);
    const fromTheirs = mergeAnnotations(out, other, lineage, idMap, remap, report);
    mergeInterpreters(out, other, report);
    mergeGenerationRuns(out, other, report);
    mergeSettings(out, other);
    mergeProjectRow(out, other, { keepName: unrelated });
    keepSamplesWithWork(out, report);
    keepClassesInUse(out, report, fromTheirs, report.classes.deleted.length > 0);
    report.annotations.conflicts = work.info().conflictCount;
  });
}

/**
 * Merge `theirsFile` into `mineFile`, writing the result to `outFile`. Returns what happened; throws a
 * UserError (and writes nothing) for inputs that cannot be merged.
 */
export function mergeProjects(
  mineFile: string,
  theirsFile: string,
  outFile: string,
  opts: MergeOptions = {},
): MergeReport {
  const target = path.resolve(outFile);
  for (const input of [mineFile, theirsFile]) {
    if (sameFile(input, target))
      throw new UserError(
        `The output ${target} is one of the inputs, which a merge never changes; choose a new file for the result.`,
      );
  }
  const mine = Project.open(mineFile, { readonly: true });
  let theirs: Project | null = null;
  let work: Project | null = null;
  try {
    theirs = Project.open(theirsFile, { readonly: true });
    checkModels(mine, theirs);
    checkSameProject(mine, theirs, opts);
    const report = emptyReport(target, path.basename(mine.path), path.basename(theirs.path));
    if (report.mine === report.theirs) [report.mine, report.theirs] = [mine.path, theirs.path];
    placeNewFile(target, { force: opts.force, forceHint: ', or add --force to replace it' }, (t) => {
      vacuumInto(projectContext(mine), t);
      work = Project.open(t, { author: opts.author ?? null });
      mergeInto(work, theirs!, report, mine.path, opts.unrelated === true);
      work.dispose();
    });
    return report;
  } finally {
    (work as Project | null)?.dispose();
    theirs?.dispose();
    mine.dispose();
  }
}
