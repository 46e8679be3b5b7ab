/**
 * The `.dgs` project file (DESIGN §4; format in docs/project-file.md).
 *
 * A project is one SQLite file opened synchronously with better-sqlite3. Only one process opens a file
 * for editing — the app's main process or the `dgs` CLI; compute workers get data by message and never
 * open it. A second process that tries gets a UserError ("…is open in another DatasetGAN Studio window
 * or command; close it there first"), and the lock dies with the process that held it.
 *
 * ```ts
 * Project.create(path, { name?, classes: {name, color?, hotkey?, locked?}[], author? }): Project  // refuses an existing file
 * Project.open(path, { readonly?, allowReadonly?, author? } = {}): Project  // UserError for any unusable file; never writes to a refused one
 * p.dispose({ discardUnsavedUpgrade? }); p.path; p.readonly; p.readonlyReason; p.isOpen
 * p.upgradedFrom; p.saveUpgrade(); p.unsavedUpgradeCopy  // an older format is worked on as a migrated copy
 * p.author; p.setAuthor(name)                           // recorded with every version (docs/sharing.md)
 * p.info(): { projectId, name, schemaVersion, createdAt, createdBy, model: {sha256, name, architecture, resolution} | null,
 *             classes, counts: {samples, annotations, interpreters, generationRuns} }
 * p.rename(name)
 * p.transaction(fn)                                     // several changes, all or nothing
 * // model bundle, one per project (replacing it is refused once samples or interpreters exist)
 * p.embedModel({ sha256, manifestJson, mapping, synthesis }); p.getModel()
 * // label classes: `index` is the pixel value in label maps (0 = background), never reused
 * p.listClasses(); p.addClass({name, color?, hotkey?, locked?}); p.updateClass(id, patch, expectedRevision?)
 * p.removeClass(id, expectedRevision?)                  // tombstone; its pixels become background
 * p.reorderClasses(ids); p.setClasses([{id?, name, color?, hotkey?, locked?}])  // class editor "Save"
 * // samples: (model sha256, seed, ψ) + latents
 * p.addSamples([{seed, psi, z, w, creator?}]): Sample[] // one transaction
 * p.listSamples(); p.getSample(id); p.getLatents(id): {z, w}; p.deleteSample(id, expectedRevision?)
 * // annotations: raster label map is the truth, shapes are any JSON for re-editing (the studio's API
 * // stores and reads "dgs-shapes" envelopes, src/shared/annotation-shapes.ts)
 * p.saveAnnotation(sampleId, {width, height, labelMap, shapes, author?}, expectedRevision?)  // 0 = must be new
 * p.getAnnotation(sampleId): (Annotation & {labelMap}) | null; p.listAnnotations(); p.deleteAnnotation(sampleId, rev?)
 * // interpreters
 * p.saveInterpreter({config, weights, metrics, provider?, wallSeconds?}): {id}
 * p.listInterpreters() (newest first, no weights); p.getInterpreter(id); p.latestInterpreter(); p.deleteInterpreter(id)
 * readInterpreterRecord(p.path, it): {config, metrics}   // today's form of the JSON, or a sentence (interpreters.ts)
 * // generation runs
 * p.addGenerationRun({config, outDir, interpreterId?}): {id}   // status 'queued'
 * p.updateGenerationRun(id, {status, progress?, result?}); p.listGenerationRuns(); p.getGenerationRun(id)
 * readRunRecord(p.path, run): {config, progress, result}  // today's form of the JSON, or a sentence (generation-runs.ts)
 * // settings (JSON values)
 * p.getSetting(key) (undefined if unset); p.setSetting(key, value); p.deleteSetting(key); p.listSettings()
 * // sharing (docs/sharing.md): history, conflicts left by merges, assignments, contributors
 * p.listConflicts(); p.getConflictVersion(sampleId, versionId); p.resolveConflict(sampleId, 'mine'|'theirs'|'both', {versionId?, author?})
 * p.listAnnotationRevisions(sampleId); p.getAnnotationRevision(sampleId, versionId)
 * p.assignSamples(ids, name | null); p.listContributors()
 * mergeProjects(mine, theirs, out, { force?, author? }): MergeReport; makeLabelerCopy(file, out, {labeler?, samples?, count?, author?, force?})
 * p.saveCopy(dest): string                             // compacted copy to send or back up; refuses an existing file
 * p.integrityCheck(): string[]                          // ['ok'] when healthy
 * p.connectionSettings(): {journalMode, synchronous, foreignKeys, lockingMode, applicationId, userVersion}
 * ```
 *
 * Every change is one transaction. `expectedRevision` (optional) refuses a save when the row changed
 * since the caller read it. Sentences for users are thrown as UserError (src/shared/errors.ts).
 */
export { Project, type CreateProjectOptions, type OpenProjectOptions } from './project';
export { mergeProjects, type MergeOptions } from './merge/merge-projects';
export type { MergeReport } from './merge/report';
export { sampleByRef } from './sample-ref';
export { readInterpreterRecord } from './interpreters';
export { readRunRecord } from './generation-runs';
export { makeLabelerCopy, type LabelerCopyOptions, type LabelerCopyResult } from './labeler-copy';
export { APPLICATION_ID, SCHEMA_VERSION } from './schema';
export type * from '../../shared/project-types';
