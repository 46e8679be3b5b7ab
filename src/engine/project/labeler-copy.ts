/**
 * A labeler copy (`dgs copy`, File → Save labeler copy…): the project without its interpreters and
 * generation runs — the model, classes, samples and annotations a labeler needs, small enough to mail —
 * optionally with samples assigned to the labeler. The assignment is recorded in the source too (when it
 * can be written), so the next copy for someone else picks other samples; merging the copy back brings
 * its work home (docs/sharing.md).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { UserError } from '../../shared/errors';
import { nativeBindingOption } from './native-binding';
import { placeNewFile } from './place-file';
import { Project, projectContext } from './project';
import { sampleByRef } from './sample-ref';
import { vacuumInto } from './save-copy';

export interface LabelerCopyOptions {
  /** The labeler the copy is for; with `samples` or `count`, those samples are assigned to them. */
  labeler?: string;
  /** Sample ids to assign. */
  samples?: readonly string[];
  /** Assign the first `count` samples (gallery order) that nobody has and nobody annotated. */
  count?: number;
  /** Who makes the assignment. */
  author?: string | null;
  /** Replace an existing output file. */
  force?: boolean;
}

export interface LabelerCopyResult {
  out: string;
  bytes: number;
  labeler: string | null;
  assigned: { id: string; seed: number }[];
  /** Samples that were assigned to someone else before (named with `samples`). */
  reassigned: { seed: number; from: string }[];
  /** False when the source could not be written (read-only), so only the copy knows the assignment. */
  recordedInSource: boolean;
  /** What was left out of the copy. */
  dropped: { interpreters: number; generationRuns: number };
}

function pickSamples(p: Project, opts: LabelerCopyOptions): string[] {
  if (opts.samples && opts.count !== undefined) throw new UserError('Give either --samples or --count, not both.');
  if (opts.samples) return [...new Set(opts.samples.map((ref) => sampleByRef(p, ref).id))];
  if (opts.count === undefined) return [];
  if (!Number.isInteger(opts.count) || opts.count < 1)
    throw new UserError(`--count takes a whole number of samples, at least 1; got ${opts.count}.`);
  const free = p.listSamples().filter((s) => s.assignee === null && !s.annotated);
  if (free.length === 0) {
    throw new UserError(
      `Every sample of ${p.path} is assigned or annotated already; add samples with \`dgs sample ${p.path} --count K\` first.`,
    );
  }
  return free.slice(0, opts.count).map((s) => s.id);
}

export function makeLabelerCopy(sourceFile: string, outFile: string, opts: LabelerCopyOptions = {}): LabelerCopyResult {
  const labeler = opts.labeler === undefined ? null : opts.labeler;
  if (labeler === null && (opts.samples || opts.count !== undefined))
    throw new UserError('Name the labeler with --for NAME to assign samples.');
  const assigning = labeler !== null && (opts.samples !== undefined || opts.count !== undefined);
  const source = Project.open(sourceFile, { readonly: !assigning, allowReadonly: true, author: opts.author ?? null });
  try {
    const ids = assigning ? pickSamples(source, opts) : [];
    const reassigned = ids
      .map((id) => source.getSample(id)!)
      .filter((s) => s.assignee !== null && s.assignee !== labeler)
      .map((s) => ({ seed: s.seed, from: s.assignee! }));
    const recordedInSource = assigning && !source.readonly;
    if (recordedInSource) {
      source.assignSamples(ids, labeler);
      source.saveUpgrade();
    }
    const dropped = {
      interpreters: source.info().counts.interpreters,
      generationRuns: source.info().counts.generationRuns,
    };
    const out = placeNewFile(outFile, { force: opts.force, forceHint: ', or add --force to replace it' }, (tmp) => {
      vacuumInto(projectContext(source), tmp);
      const copy = Project.open(tmp, { author: opts.author ?? null });
      try {
        copy.transaction(() => {
          const { db } = projectContext(copy);
          db.prepare('DELETE FROM generation_run').run();
          db.prepare('DELETE FROM interpreter').run();
        });
        if (assigning && !recordedInSource) copy.assignSamples(ids, labeler);
      } finally {
        copy.dispose();
      }
      const db = new Database(tmp, { fileMustExist: true, ...nativeBindingOption() });
      try {
        db.exec('VACUUM'); // give the dropped weights' pages back: the copy is meant to be mailed
      } finally {
        db.close();
      }
    });
    return {
      out,
      bytes: fs.statSync(out).size,
      labeler,
      recordedInSource,
      dropped,
      reassigned,
      assigned: ids.map((id) => ({ id, seed: source.getSample(id)!.seed })),
    };
  } finally {
    source.dispose();
  }
}
