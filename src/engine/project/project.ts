/**
 * The Project class: one open `.dgs` file. See index.ts for the API overview and docs/project-file.md
 * for the file format. Every public change runs in one SQLite transaction, so it lands whole or not at
 * all; `transaction(fn)` groups several changes into one.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { UserError } from '../../shared/errors';
import type { Disposable } from '../../shared/lifecycle';
import type { InterpreterMetrics } from '../../shared/interpreter-types';
import type {
  Annotation,
  AnnotationConflict,
  AnnotationInput,
  AnnotationRevision,
  AnnotationSummary,
  AnnotationVersionContent,
  AnnotationWithMap,
  ConflictChoice,
  Contributor,
  EmbeddedModel,
  GenerationRun,
  GenerationRunUpdate,
  Interpreter,
  InterpreterSummary,
  LabelClass,
  LabelClassPatch,
  LabelClassSpec,
  Latents,
  NewGenerationRun,
  NewInterpreter,
  NewLabelClass,
  NewSample,
  ProjectInfo,
  Sample,
} from '../../shared/project-types';
import { deleteAnnotation, getAnnotation, listAnnotations, saveAnnotation } from './annotations';
import {
  addClass,
  insertInitialClasses,
  listClasses,
  removeClass,
  reorderClasses,
  setClasses,
  updateClass,
} from './classes';
import {
  conflictCount,
  getAnnotationRevision,
  getConflictVersion,
  listAnnotationRevisions,
  listConflicts,
  resolveConflict,
} from './conflicts';
import { cleanAuthor, listContributors, noteContributor } from './contributors';
import {
  addGenerationRun,
  deleteGenerationRun,
  getGenerationRun,
  listGenerationRuns,
  updateGenerationRun,
} from './generation-runs';
import {
  deleteInterpreter,
  getInterpreter,
  latestInterpreter,
  listInterpreters,
  saveInterpreter,
  updateInterpreterMetrics,
} from './interpreters';
import { embedModel, getModel, modelSummary } from './model';
import { createProjectFile, openProjectDb, replaceWithUpgrade, type OpenedProjectDb } from './open-file';
import { assignSamples, deleteSample, getLatents, getSample, listSamples, addSamples } from './samples';
import { deleteSetting, getSetting, listSettings, setSetting } from './settings';
import { saveCopy } from './save-copy';
import { explainReadFailure, explainWriteFailure, newId, nowIso, type Ctx } from './store';
import { APP_VERSION } from './app-version';

export interface CreateProjectOptions {
  /** Shown in the UI; defaults to the file name without extension. */
  name?: string;
  /** The label classes; see insertInitialClasses for how background (index 0) is chosen. */
  classes: readonly NewLabelClass[];
  author?: string;
}

export interface OpenProjectOptions {
  /** Open for looking only: no lock is taken, nothing can be changed, read-only files open. */
  readonly?: boolean;
  /**
   * Open a file that cannot be written where it is (read-only file, folder or share) read-only instead of
   * refusing it; `readonlyReason` then says why, for a banner.
   */
  allowReadonly?: boolean;
  /** Who makes the changes: recorded with every version and in the contributors (see `setAuthor`). */
  author?: string | null;
}

interface ProjectRow {
  project_id: string;
  name: string;
  created_at: string;
  created_by: string | null;
}

/** The connection behind a Project, for the engine's whole-file operations (merge, labeler copy). Not exported by index.ts. */
const contexts = new WeakMap<Project, () => Ctx>();

export function projectContext(p: Project): Ctx {
  return contexts.get(p)!();
}

export class Project implements Disposable {
  private db: Database.Database | null;
  private readonly ctx: Ctx;
  private opened: OpenedProjectDb;
  /** Whether anything was written since opening (decides what close leaves of an unsaved upgrade). */
  private changedSinceOpen = false;
  private keptCopy: string | null = null;
  /** True when the project cannot be changed (opened read-only, or a read-only file opened with allowReadonly). */
  readonly readonly: boolean;

  private constructor(
    opened: OpenedProjectDb,
    readonly path: string,
    readonly: boolean,
    author: string | null,
  ) {
    const { db } = opened;
    this.db = db;
    this.opened = opened;
    this.readonly = readonly || opened.readonlyReason !== null;
    this.ctx = { db, file: path, author };
    contexts.set(this, () => this.read((ctx) => ctx));
    let rows = 0;
    try {
      rows = (db.prepare('SELECT count(*) AS n FROM project').get() as { n: number }).n;
    } catch {
      rows = 0; // no project table: someone edited the file by hand
    }
    if (rows !== 1) {
      this.dispose();
      throw new UserError(`${path} is damaged (its project record is missing); restore it from a backup copy.`);
    }
  }

  /** Create a new project file; refuses a path that exists. The file is complete before it appears. */
  static create(file: string, options: CreateProjectOptions): Project {
    const abs = path.resolve(file);
    const name = (options.name ?? path.basename(abs).replace(/\.dgs$/i, '')).trim() || 'Untitled project';
    const author = options.author == null ? null : cleanAuthor(options.author);
    createProjectFile(abs, (db) => {
      const now = nowIso();
      db.prepare(
        `INSERT INTO project (singleton, project_id, name, created_at, created_by, app_version, revision, updated_at)
        VALUES (1, ?, ?, ?, ?, ?, 1, ?)`,
      ).run(newId(), name, now, author, APP_VERSION, now);
      const ctx = { db, file: abs, author };
      noteContributor(ctx, author, now);
      insertInitialClasses(ctx, options.classes);
    });
    return Project.open(abs, { author });
  }

  /**
   * Open an existing project after every safety check (throws UserError with one sentence). A file of an
   * older format opens as a migrated copy: `upgradedFrom` says so, and the original is untouched until
   * `saveUpgrade()`.
   */
  static open(file: string, options: OpenProjectOptions = {}): Project {
    const abs = path.resolve(file);
    const author = options.author == null ? null : cleanAuthor(options.author);
    const opened = openProjectDb(abs, { readonly: options.readonly === true, allowReadonly: options.allowReadonly });
    return new Project(opened, abs, options.readonly === true, author);
  }

  /**
   * Close the file and release its lock (the one lifetime verb, src/shared/lifecycle.ts). Safe to call twice. An upgraded project's original stays as it
   * was; changes made since opening it and not saved with `saveUpgrade()` are left beside it as
   * `<name>.upgraded-<time>.dgs` (see `unsavedUpgradeCopy`), unless `discardUnsavedUpgrade` says to drop them.
   */
  dispose(opts: { discardUnsavedUpgrade?: boolean } = {}): void {
    if (!this.db) return;
    this.db.close();
    this.db = null;
    if (this.opened.upgrade && this.changedSinceOpen && !opts.discardUnsavedUpgrade)
      this.keptCopy = this.opened.upgrade.keep();
    this.opened.release();
  }

  /** After close: where unsaved work on an upgraded copy was left, or null. */
  get unsavedUpgradeCopy(): string | null {
    return this.keptCopy;
  }

  /** The file format the file had when it was opened, when older than this build's (it is worked on as a migrated copy); else null. */
  get upgradedFrom(): number | null {
    return this.opened.upgradedFrom;
  }

  /** Why a project asked for editing was opened read-only (a read-only file or share), for a banner; else null. */
  get readonlyReason(): string | null {
    return this.opened.readonlyReason;
  }

  /** Who makes the changes from now on (recorded with every version and in the contributors). */
  get author(): string | null {
    return this.ctx.author ?? null;
  }

  setAuthor(name: string | null): void {
    this.ctx.author = name === null ? null : cleanAuthor(name);
  }

  /**
   * Write an upgraded project over its original (one rename) and go on working on the file itself. A no-op
   * for a project that was not upgraded; refused when read-only.
   */
  saveUpgrade(): void {
    if (this.opened.upgradedFrom === null) return;
    this.write(() => undefined); // refuses read-only and closed projects with their sentences
    if (!this.opened.upgrade) return;
    this.db!.close();
    this.db = null;
    try {
      this.opened = replaceWithUpgrade(this.path, this.opened);
    } catch (e) {
      throw explainWriteFailure(e, this.path);
    }
    this.db = this.opened.db;
    this.ctx.db = this.db;
    this.changedSinceOpen = false;
  }

  get isOpen(): boolean {
    return this.db !== null;
  }

  private read<T>(fn: (ctx: Ctx) => T): T {
    if (!this.db) throw new UserError(`${this.path} has been closed; open it again.`);
    try {
      return fn(this.ctx);
    } catch (e) {
      throw explainReadFailure(e, this.path);
    }
  }

  private write<T>(fn: (ctx: Ctx) => T): T {
    if (!this.db) throw new UserError(`${this.path} has been closed; open it again.`);
    if (this.readonly) throw new UserError(`${this.path} is open read-only; open it for editing to change it.`);
    try {
      const result = this.db.transaction(() => fn(this.ctx))();
      this.changedSinceOpen = true;
      return result;
    } catch (e) {
      throw explainReadFailure(explainWriteFailure(e, this.path), this.path);
    }
  }

  /** Run several changes as one transaction: all of them are saved, or (if fn throws) none. */
  transaction<T>(fn: () => T): T {
    return this.write(() => fn());
  }

  info(): ProjectInfo {
    return this.read((ctx) => {
      const p = ctx.db.prepare('SELECT project_id, name, created_at, created_by FROM project').get() as ProjectRow;
      const counts = ctx.db
        .prepare(
          `SELECT
        (SELECT count(*) FROM sample WHERE deleted = 0) AS samples,
        (SELECT count(*) FROM annotation a JOIN sample s ON s.id = a.sample_id WHERE a.deleted = 0 AND s.deleted = 0) AS annotations,
        (SELECT count(*) FROM interpreter WHERE deleted = 0) AS interpreters,
        (SELECT count(*) FROM generation_run WHERE deleted = 0) AS generationRuns`,
        )
        .get() as ProjectInfo['counts'];
      return {
        projectId: p.project_id,
        name: p.name,
        schemaVersion: ctx.db.pragma('user_version', { simple: true }) as number,
        createdAt: p.created_at,
        createdBy: p.created_by,
        model: modelSummary(ctx),
        classes: listClasses(ctx),
        counts: { ...counts },
        contributors: listContributors(ctx),
        conflictCount: conflictCount(ctx),
      };
    });
  }

  rename(name: string): void {
    const clean = typeof name === 'string' ? name.trim() : '';
    if (!clean || clean.length > 200) throw new UserError('A project name must be 1 to 200 characters long.');
    this.write((ctx) =>
      ctx.db.prepare('UPDATE project SET name = ?, revision = revision + 1, updated_at = ?').run(clean, nowIso()),
    );
  }

  // The embedded model bundle (one per project).
  embedModel(model: EmbeddedModel): void {
    this.write((ctx) => embedModel(ctx, model));
  }
  getModel(): EmbeddedModel | null {
    return this.read(getModel);
  }

  // Label classes.
  listClasses(): LabelClass[] {
    return this.read(listClasses);
  }
  addClass(spec: NewLabelClass): LabelClass {
    return this.write((ctx) => addClass(ctx, spec));
  }
  updateClass(id: string, patch: LabelClassPatch, expectedRevision?: number): LabelClass {
    return this.write((ctx) => updateClass(ctx, id, patch, expectedRevision));
  }
  removeClass(id: string, expectedRevision?: number): void {
    this.write((ctx) => removeClass(ctx, id, expectedRevision));
  }
  reorderClasses(ids: readonly string[]): LabelClass[] {
    return this.write((ctx) => reorderClasses(ctx, ids));
  }
  setClasses(specs: readonly LabelClassSpec[]): LabelClass[] {
    return this.write((ctx) => setClasses(ctx, specs));
  }

  // Samples.
  addSamples(rows: readonly NewSample[]): Sample[] {
    return this.write((ctx) => addSamples(ctx, rows));
  }
  listSamples(): Sample[] {
    return this.read(listSamples);
  }
  getSample(id: string): Sample | null {
    return this.read((ctx) => getSample(ctx, id));
  }
  getLatents(id: string): Latents {
    return this.read((ctx) => getLatents(ctx, id));
  }
  /** Tombstone a sample and its annotation. */
  deleteSample(id: string, expectedRevision?: number): void {
    this.write((ctx) => {
      deleteSample(ctx, id, expectedRevision);
      deleteAnnotation(ctx, id);
    });
  }
  /** Assign samples to a labeler (null: unassign); returns how many changed. */
  assignSamples(ids: readonly string[], assignee: string | null): number {
    return this.write((ctx) => assignSamples(ctx, ids, assignee));
  }

  // Annotations.
  saveAnnotation(sampleId: string, input: AnnotationInput, expectedRevision?: number): Annotation {
    return this.write((ctx) => saveAnnotation(ctx, sampleId, input, expectedRevision));
  }
  getAnnotation(sampleId: string): AnnotationWithMap | null {
    return this.read((ctx) => getAnnotation(ctx, sampleId));
  }
  listAnnotations(): AnnotationSummary[] {
    return this.read(listAnnotations);
  }
  deleteAnnotation(sampleId: string, expectedRevision?: number): void {
    this.write((ctx) => deleteAnnotation(ctx, sampleId, expectedRevision));
  }

  // Conflicts left by merges, and an annotation's history.
  listConflicts(): AnnotationConflict[] {
    return this.read(listConflicts);
  }
  getConflictVersion(sampleId: string, versionId: string): AnnotationVersionContent {
    return this.read((ctx) => getConflictVersion(ctx, sampleId, versionId));
  }
  resolveConflict(
    sampleId: string,
    choice: ConflictChoice,
    opts: { versionId?: string; author?: string | null } = {},
  ): AnnotationWithMap | null {
    return this.write((ctx) =>
      resolveConflict(ctx, sampleId, choice, { versionId: opts.versionId, author: opts.author ?? ctx.author ?? null }),
    );
  }
  listAnnotationRevisions(sampleId: string): AnnotationRevision[] {
    return this.read((ctx) => listAnnotationRevisions(ctx, sampleId));
  }
  getAnnotationRevision(sampleId: string, versionId: string): AnnotationVersionContent {
    return this.read((ctx) => getAnnotationRevision(ctx, sampleId, versionId));
  }
  listContributors(): Contributor[] {
    return this.read(listContributors);
  }

  // Trained interpreters.
  saveInterpreter(input: NewInterpreter): { id: string } {
    return this.write((ctx) => saveInterpreter(ctx, input));
  }
  /** The interpreter's metrics replaced (its report arrived); false when it was deleted meanwhile. */
  updateInterpreterMetrics(id: string, metrics: InterpreterMetrics): boolean {
    return this.write((ctx) => updateInterpreterMetrics(ctx, id, metrics));
  }
  listInterpreters(): InterpreterSummary[] {
    return this.read(listInterpreters);
  }
  getInterpreter(id: string): Interpreter | null {
    return this.read((ctx) => getInterpreter(ctx, id));
  }
  latestInterpreter(): Interpreter | null {
    return this.read(latestInterpreter);
  }
  deleteInterpreter(id: string, expectedRevision?: number): void {
    this.write((ctx) => deleteInterpreter(ctx, id, expectedRevision));
  }

  // Generation runs.
  addGenerationRun(input: NewGenerationRun): { id: string } {
    return this.write((ctx) => addGenerationRun(ctx, input));
  }
  updateGenerationRun(id: string, update: GenerationRunUpdate): GenerationRun {
    return this.write((ctx) => updateGenerationRun(ctx, id, update));
  }
  listGenerationRuns(): GenerationRun[] {
    return this.read(listGenerationRuns);
  }
  getGenerationRun(id: string): GenerationRun | null {
    return this.read((ctx) => getGenerationRun(ctx, id));
  }
  deleteGenerationRun(id: string): void {
    this.write((ctx) => deleteGenerationRun(ctx, id));
  }

  // Settings.
  getSetting(key: string): unknown {
    return this.read((ctx) => getSetting(ctx, key));
  }
  setSetting(key: string, value: unknown): void {
    this.write((ctx) => setSetting(ctx, key, value));
  }
  deleteSetting(key: string): void {
    this.write((ctx) => deleteSetting(ctx, key));
  }
  listSettings(): Record<string, unknown> {
    return this.read(listSettings);
  }

  /** The connection's SQLite settings, for diagnostics and tests (docs/project-file.md "Pragmas"). */
  connectionSettings(): {
    journalMode: string;
    synchronous: number;
    foreignKeys: boolean;
    lockingMode: string;
    applicationId: number;
    userVersion: number;
  } {
    return this.read((ctx) => ({
      journalMode: ctx.db.pragma('journal_mode', { simple: true }) as string,
      synchronous: ctx.db.pragma('synchronous', { simple: true }) as number,
      foreignKeys: ctx.db.pragma('foreign_keys', { simple: true }) === 1,
      lockingMode: ctx.db.pragma('locking_mode', { simple: true }) as string,
      applicationId: ctx.db.pragma('application_id', { simple: true }) as number,
      userVersion: ctx.db.pragma('user_version', { simple: true }) as number,
    }));
  }

  /** Write a compacted copy of the project to a new file (refuses an existing one); returns its path. */
  saveCopy(dest: string): string {
    return this.read((ctx) => saveCopy(ctx, dest));
  }

  /** SQLite's full `integrity_check` (slow on big files; opening already runs `quick_check`). */
  integrityCheck(): string[] {
    return this.read((ctx) =>
      (ctx.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check),
    );
  }
}
