/**
 * The studio's main side, whatever carries the API (Electron IPC or `dgs serve`): the open project
 * file, the compute service, the running jobs and the events windows listen to. Handlers (handlers.ts)
 * turn validated requests into calls on this host; the transport decides only how requests arrive and
 * what a dialog is. The host owns what follows a change: its event carries the new summary and the
 * changed sample rows, and an annotation save schedules the quick cross-validation (quick-cv.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ApiEvent, ProjectChange, ProjectSummary, SampleRow, StudioClass } from '../../shared/api';
import type { Compute, ProviderChoice } from '../../shared/compute-api';
import { UserError } from '../../shared/errors';
import type { BundleManifest } from '../../shared/bundle-manifest';
import { Project } from '../project';
import { projectModel } from '../project/model';
import type { ModelRef } from '../../shared/compute-api';
import { JobRegistry } from './job-registry';
import type { PlaceUse } from './confined-places';
import { SampleImageCache } from './sample-images';
import { ClassPixelCounter } from './class-pixels';
import { QuickCvScheduler } from './quick-cv';
import { toDisposable, type Disposable } from '../../shared/lifecycle';

/** What differs between the desktop app and the browser. */
export interface HostServices {
  transport: 'electron' | 'web';
  /** A project to open, picked in a dialog; null on cancel or where there is no dialog. */
  chooseProjectFile(): Promise<string | null>;
  /** Where a new project goes: a save dialog, or the one file `dgs serve` was given. */
  chooseNewProjectFile(): Promise<string | null>;
  chooseFolder(purpose: 'output' | 'bundle' | 'export'): Promise<string | null>;
  chooseFile(purpose: 'checkpoint' | 'project'): Promise<string | null>;
  chooseSaveFile(purpose: 'labeler-copy' | 'copy' | 'labeled-graph'): Promise<string | null>;
  openFolder(dir: string): Promise<void>;
  /** Whether this host may open or create a project at `file` (`dgs serve`: only the file it was given). */
  mayUseProject(file: string): boolean;
  /** The absolute path for a path the user typed, or a UserError where this host may not use it (confined-places.ts). */
  place(typed: string, use: PlaceUse): string;
  recent: RecentProjects;
}

export interface RecentProjects {
  list(): { file: string; name: string; openedAt: string }[];
  add(file: string, name: string): void;
}

export interface OpenProject {
  project: Project;
  model: { ref: ModelRef; manifest: BundleManifest } | null;
}

export class StudioHost {
  private current: OpenProject | null = null;
  private provider: ProviderChoice | null = null;
  /** Who works in this studio: recorded with every change (the renderer asks once and tells us). */
  private author: string | null = null;
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  readonly jobs: JobRegistry;
  readonly images = new SampleImageCache();
  private readonly pixels = new ClassPixelCounter();
  private readonly quickCv: QuickCvScheduler;
  /** Editable copies this studio saved itself ("Save a copy…"): it may open them besides what the services allow. */
  private readonly ownCopies = new Set<string>();

  constructor(
    readonly services: HostServices,
    readonly compute: Compute,
    opts: { quickCvDelayMs?: number } = {},
  ) {
    this.jobs = new JobRegistry((e) => this.emit(e));
    this.quickCv = new QuickCvScheduler(this, opts.quickCvDelayMs);
  }

  onEvent(listener: (e: ApiEvent) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => void this.listeners.delete(listener));
  }

  emit(e: ApiEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Called by the owner when compute died and was restarted. */
  computeCrashed(message: string): void {
    this.emit({ type: 'compute', state: 'crashed', message });
  }

  get open(): OpenProject {
    if (!this.current) throw new UserError('No project is open; open or create one first.');
    return this.current;
  }

  get isOpen(): boolean {
    return this.current !== null;
  }

  /** The open project's model; a sentence when it has none. */
  model(): { ref: ModelRef; manifest: BundleManifest } {
    const m = this.open.model;
    if (!m) throw new UserError('This project has no generator; create a new project with a model.');
    return m;
  }

  get currentAuthor(): string | null {
    return this.author;
  }

  setAuthor(name: string): void {
    this.author = name;
    this.current?.project.setAuthor(name);
  }

  async openProject(file: string): Promise<ProjectSummary> {
    const abs = path.resolve(file);
    if (!this.services.mayUseProject(abs) && !this.ownCopies.has(abs))
      throw new UserError(`This studio serves only the project it was started with; it cannot open ${abs}.`);
    if (!fs.existsSync(abs)) throw new UserError(`There is no project file at ${abs}; create a new project instead.`);
    await this.closeProject();
    // A file on a read-only share opens read-only, with the reason in a banner; an older format opens
    // as an upgraded copy until the user saves the upgrade.
    const project = Project.open(abs, { allowReadonly: true, author: this.author });
    const model = project.getModel() ? projectModel(project) : null;
    this.current = { project, model };
    this.provider = null;
    this.services.recent.add(abs, project.info().name);
    this.emit({ type: 'project', changed: 'opened', summary: this.summary()! });
    // Load the generator now, so the first Sample or image does not wait and the status bar can say
    // where it runs; a failure here shows in the status bar, not as an error.
    if (model) {
      void this.compute.model(model.ref).then(
        (p) => {
          this.provider = p;
          this.emit({ type: 'compute', state: 'ready', provider: p });
        },
        () => undefined,
      );
    }
    return this.summary()!;
  }

  async closeProject(): Promise<void> {
    if (!this.current) return;
    this.quickCv.dispose();
    await this.jobs.dispose();
    this.current.project.dispose();
    const kept = this.current.project.unsavedUpgradeCopy;
    if (kept)
      this.emit({
        type: 'notice',
        message: `Your changes to the upgraded copy were kept in ${kept}; the original file is as it was.`,
      });
    this.current = null;
    this.images.clear();
    this.pixels.clear();
    this.emit({ type: 'project', changed: 'closed' });
  }

  summary(): ProjectSummary | null {
    if (!this.current) return null;
    const { project, model } = this.current;
    const info = project.info();
    const pixels = this.pixels.count(project);
    const classes: StudioClass[] = info.classes
      .sort((a, b) => a.position - b.position)
      .map((c) => ({
        id: c.id,
        index: c.index,
        name: c.name,
        color: c.color,
        hotkey: c.hotkey,
        locked: c.locked,
        pixels: pixels[c.index] ?? 0,
      }));
    return {
      file: project.path,
      name: info.name,
      readonly: project.readonly,
      readonlyReason: project.readonlyReason,
      upgradedFrom: project.upgradedFrom,
      conflicts: info.conflictCount,
      contributors: info.contributors.map((c) => c.name),
      schemaVersion: info.schemaVersion,
      model: info.model && model ? { ...info.model, defaultPsi: model.manifest.defaultPsi } : null,
      provider: this.provider,
      classes,
      counts: info.counts,
    };
  }

  /** Sample rows as lists show them: every sample, or those with these ids (unknown ids are left out). */
  sampleRows(ids?: readonly string[]): SampleRow[] {
    const { project } = this.open;
    const annotations = new Map(project.listAnnotations().map((a) => [a.sampleId, a]));
    const samples = ids ? ids.flatMap((id) => project.getSample(id) ?? []) : project.listSamples();
    return samples.map((s) => {
      const a = annotations.get(s.id);
      return {
        id: s.id,
        seed: s.seed,
        psi: s.psi,
        creator: s.creator,
        createdAt: s.createdAt,
        assignee: s.assignee,
        annotation: a ? { author: a.author, revision: a.revision, updatedAt: a.updatedAt } : null,
      };
    });
  }

  /**
   * Announce a change with what windows need to show it: the new summary, and the rows of the samples
   * it added or changed (`sampleIds`, or 'all').
   */
  changed(what: ProjectChange, sampleIds: readonly string[] | 'all' = []): void {
    if (!this.current) return;
    const samples = this.sampleRows(sampleIds === 'all' ? undefined : sampleIds);
    this.emit({ type: 'project', changed: what, summary: this.summary()!, samples });
  }

  /** An annotation was saved from the canvas: announce it, and check the annotations again after the edits pause. */
  annotationSaved(sampleId: string): void {
    this.changed('annotations', [sampleId]);
    this.quickCv.saved();
  }

  /**
   * Run `fn` on the project's file with the project closed (a merge or a labeler copy opens the file
   * itself), then open it again. Refused while a job runs, so no work is cut short.
   */
  async whileClosed<T>(fn: (file: string) => T): Promise<T> {
    const { project } = this.open;
    const running = this.jobs.list();
    if (running.length)
      throw new UserError(
        `Wait for the running ${running.map((j) => j.kind).join(' and ')} job to finish, or cancel it, first.`,
      );
    const file = project.path;
    await this.closeProject();
    try {
      return fn(file);
    } finally {
      await this.openProject(file);
    }
  }

  /**
   * A path the user typed (an output folder, a copy to merge, where to save a copy): a relative one is
   * taken from the open project's folder, never from the folder the studio server was started in; then
   * the host says whether it may be used for `use` (confined-places.ts).
   */
  userPath(typed: string, use: PlaceUse): string {
    return this.services.place(path.resolve(path.dirname(this.open.project.path), typed.trim()), use);
  }

  /** Save an editable copy of the open project at `file` (which must not exist), then open the copy instead. */
  async saveCopyAndOpen(file: string): Promise<ProjectSummary> {
    const dest = this.userPath(file, 'copy');
    if (!/\.dgs$/i.test(dest))
      throw new UserError(`A project copy's name ends in .dgs; choose a name like ${path.basename(dest)}.dgs.`);
    const saved = this.open.project.saveCopy(dest);
    this.ownCopies.add(saved);
    return this.openProject(saved);
  }

  /** A change to the project: refused with a sentence when the file is read-only. */
  writable(): Project {
    const { project } = this.open;
    if (project.readonly)
      throw new UserError(
        `The project ${project.path} is open read-only (it is on a read-only share or another program holds it); use Save a copy… to edit a copy of it.`,
      );
    return project;
  }

  async dispose(): Promise<void> {
    this.quickCv.dispose();
    await this.closeProject();
    await this.compute.dispose();
    this.listeners.clear();
  }
}
