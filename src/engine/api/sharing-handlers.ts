/**
 * The studio's side of sharing (docs/sharing.md): who is working, saving an upgraded older file,
 * merging another labeler's copy into the open project, labeler copies, and merge conflicts shown side
 * by side and settled. Merges and copies work on the file itself, so the project is closed around them
 * (StudioHost.whileClosed) and opened again, which windows hear of as a project opened anew.
 */
import fs from 'node:fs';
import { UserError } from '../../shared/errors';
import { makeLabelerCopy, mergeProjects } from '../project';
import type { Handlers } from './handlers';
import type { StudioHost } from './studio-host';

type SharingChannel =
  | 'app:set-author'
  | 'project:save-upgrade'
  | 'project:merge'
  | 'project:save-copy'
  | 'project:labeler-copy'
  | 'conflicts:list'
  | 'conflict:get'
  | 'conflict:resolve'
  | 'dialog:choose-save-file';

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

export function sharingHandlers(host: StudioHost): Pick<Handlers, SharingChannel> {
  return {
    'app:set-author': async ({ name }) => {
      host.setAuthor(name);
      return {};
    },
    'project:save-upgrade': async () => {
      host.writable().saveUpgrade();
      return host.summary()!;
    },
    'project:merge': async ({ theirs }) => {
      host.writable();
      const other = host.userPath(theirs, 'merge');
      if (!fs.existsSync(other))
        throw new UserError(`There is no project file at ${other}; choose the copy of this project to merge.`);
      const { report, backup } = await host.whileClosed((file) => {
        // The merge writes a new file from the two untouched inputs; the project before the merge is kept
        // beside it under a dated name, then the result takes the project's place.
        const merged = `${file}.merging-${stamp()}.dgs`;
        const r = mergeProjects(file, other, merged, {
          author: host.currentAuthor,
          unrelatedHint: ', or merge them on the command line with `dgs merge --unrelated`',
        });
        const kept = file.replace(/\.dgs$/i, '') + `.before-merge-${stamp()}.dgs`;
        fs.renameSync(file, kept);
        fs.renameSync(merged, file);
        return { report: r, backup: kept };
      });
      return {
        summary: host.summary()!,
        conflicts: report.annotations.conflicts,
        fromTheirs: report.annotations.fromTheirs,
        addedSamples: report.samples.added,
        backup,
      };
    },
    'project:save-copy': async ({ file }) => host.saveCopyAndOpen(file),
    'project:labeler-copy': async ({ file, labeler, count, sampleIds }) => {
      const out = host.userPath(file, 'copy');
      if (!/\.dgs$/i.test(out))
        throw new UserError("A project copy's name ends in .dgs; choose a name like copy-for-ada.dgs.");
      host.writable();
      const r = await host.whileClosed((source) =>
        makeLabelerCopy(source, out, { labeler, count, samples: sampleIds, author: host.currentAuthor }),
      );
      return { file: r.out, assigned: r.assigned.length, bytes: r.bytes };
    },
    'conflicts:list': async () => host.open.project.listConflicts(),
    'conflict:get': async ({ sampleId }) => {
      const { project } = host.open;
      const conflict = project.listConflicts().find((c) => c.sampleId === sampleId);
      if (!conflict) throw new UserError('That sample has no conflict any more; someone settled it.');
      const side = (versionId: string) => {
        const v = project.getConflictVersion(sampleId, versionId);
        return {
          versionId: v.versionId,
          revision: v.revision,
          author: v.author,
          updatedAt: v.updatedAt,
          deleted: v.deleted,
          source: v.source,
          labelMap: v.labelMap,
          width: v.width,
          height: v.height,
        };
      };
      return { mine: side(conflict.mine.versionId), theirs: side(conflict.theirs.versionId) };
    },
    'conflict:resolve': async ({ sampleId, keep }) => {
      host.writable().resolveConflict(sampleId, keep, { author: host.currentAuthor });
      host.changed('annotations', [sampleId]);
      return {};
    },
    'dialog:choose-save-file': async ({ purpose }) => host.services.chooseSaveFile(purpose),
  };
}
