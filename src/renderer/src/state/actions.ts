/**
 * What the user can do, as functions over the store and the API: open and create projects, start and
 * cancel jobs, change the classes. What follows a change (the new summary, the changed samples, the
 * quick cross-validation after a save) comes back as the engine's events (engine-events.ts). Errors become
 * the banner's sentence.
 */
import type { ApiRequest, ClassInput, JobKind, StudioClass } from '../../../shared/api';
import { classListProblems } from '../../../shared/class-list';
import { paletteColor } from '../../../shared/palette';
import { ApiError, call, isOffline, messageOf } from '../api/client';
import { newJob, store, type Screen } from './store';

export function showError(e: unknown): void {
  // An unreachable server is the connection banner's to say, once, not one banner per failed request.
  if (isOffline(e)) return;
  store.set({ error: messageOf(e), errorAction: null });
}

export async function attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    showError(e);
    return undefined;
  }
}

/** Everything about the project, asked anew: when a whole project is (re)opened. */
export async function refreshProject(): Promise<void> {
  const project = await call('project:summary', {});
  store.set({ project });
  if (project) {
    const samples = await call('samples:list', {});
    store.set((s) => ({ samples, selectedSample: keptSelection(s.selectedSample, samples) }));
  } else {
    store.set({ samples: [], selectedSample: null });
  }
}

export async function openProject(file: string | null): Promise<void> {
  await attempt(async () => {
    const project = await call('project:open', { file });
    if (project) {
      store.set({ project, screen: 'annotate', error: null });
      await refreshProject();
    }
  });
}

export async function closeProject(): Promise<void> {
  await attempt(() => call('project:close', {}));
  store.set({ project: null, samples: [], jobs: {} });
}

export function setScreen(screen: Screen): void {
  store.set({ screen });
}

export function selectSample(id: string | null): void {
  store.set({ selectedSample: id });
}

/** The sample to show after the list changed: the one selected while it still exists, else the first. */
export function keptSelection(selected: string | null, samples: readonly { id: string }[]): string | null {
  return selected && samples.some((x) => x.id === selected) ? selected : (samples[0]?.id ?? null);
}

/** Move the selection by `delta` samples (← / →). */
export function stepSample(delta: number): void {
  const { samples, selectedSample } = store.get();
  if (samples.length === 0) return;
  const i = Math.max(
    0,
    samples.findIndex((s) => s.id === selectedSample),
  );
  selectSample(samples[Math.min(samples.length - 1, Math.max(0, i + delta))].id);
}

export function setTheme(theme: 'light' | 'dark'): void {
  try {
    localStorage.setItem('dgs.theme', theme);
  } catch {
    /* private mode: the choice lasts this session */
  }
  store.set({ theme });
}

export function setAuthor(author: string): void {
  try {
    localStorage.setItem('dgs.author', author);
  } catch {
    /* as above */
  }
  store.set({ author, dialog: null });
  void attempt(() => call('app:set-author', { name: author }));
}

/** The author's name, asking once when it is not known yet; null while the question is open. */
export function requireAuthor(): string | null {
  const { author } = store.get();
  if (author) return author;
  store.set({ dialog: 'author' });
  return null;
}

type JobChannel =
  'samples:add' | 'train:start' | 'generate:start' | 'project:create' | 'samples:suggest' | 'train:quick-cv';
const KIND: Record<JobChannel, JobKind> = {
  'samples:add': 'sample',
  'train:start': 'train',
  'generate:start': 'generate',
  'project:create': 'create',
  'samples:suggest': 'suggest',
  'train:quick-cv': 'cv',
};

export async function startJob<C extends JobChannel>(channel: C, request: ApiRequest<C>): Promise<string | undefined> {
  try {
    const { jobId } = await call(channel, request);
    const kind = KIND[channel];
    // Its events may have come first (the started event, even progress); those are kept.
    store.set((s) => ({
      jobs: s.jobs[kind]?.jobId === jobId ? s.jobs : { ...s.jobs, [kind]: newJob(jobId, kind) },
      error: null,
      errorAction: null,
    }));
    return jobId;
  } catch (e) {
    showError(e);
    // A folder holding an earlier run: the same request with resume continues it, one click away.
    if (e instanceof ApiError && e.code === 'resumable' && 'resume' in request)
      store.set({ errorAction: { label: 'Resume', run: () => void startJob(channel, { ...request, resume: true }) } });
    return undefined;
  }
}

function asInput(c: StudioClass): ClassInput {
  return { id: c.id, name: c.name, color: c.color, hotkey: c.hotkey, locked: c.locked };
}

async function saveClasses(change: (classes: ClassInput[]) => ClassInput[]): Promise<void> {
  const { project } = store.get();
  if (project) await attempt(() => call('classes:save', { classes: change(project.classes.map(asInput)) }));
}

/** Rename, recolour, lock or unlock the class with this index. */
export function updateClass(index: number, patch: Partial<Omit<ClassInput, 'id'>>): Promise<void> {
  const id = store.get().project?.classes.find((c) => c.index === index)?.id;
  return saveClasses((all) => all.map((c) => (c.id === id ? { ...c, ...patch } : c)));
}

/**
 * The Gallery's edit of one class, checked against the whole list first: the sentence that refuses it
 * (from the list's own check, or the engine's), or null once it is saved.
 */
export async function changeClass(index: number, patch: Partial<Omit<ClassInput, 'id'>>): Promise<string | null> {
  const { project } = store.get();
  if (!project) return null;
  const next = project.classes.map((c) => (c.index === index ? { ...asInput(c), ...patch } : asInput(c)));
  const row = project.classes.findIndex((c) => c.index === index);
  const problem = classListProblems(
    next,
    project.classes.map((c) => c.index),
  ).find((p) => p.row === row);
  if (problem) return problem.message;
  try {
    await call('classes:save', { classes: next.map((c) => ({ ...c, name: c.name.trim() })) });
    return null;
  } catch (e) {
    return messageOf(e);
  }
}

/** A new class at the end, in the next palette colour. */
export function addClass(): Promise<void> {
  return saveClasses((all) => [...all, { name: `class ${all.length}`, color: paletteColor(all.length), hotkey: null }]);
}

export async function cancelJob(kind: JobKind): Promise<void> {
  const job = store.get().jobs[kind];
  if (job?.state === 'running') await attempt(() => call('job:cancel', { jobId: job.jobId }));
}

export async function bootstrap(): Promise<void> {
  await attempt(async () => {
    const info = await call('app:info', {});
    store.set({ info });
    const { author } = store.get();
    if (author) await call('app:set-author', { name: author });
    await refreshProject();
    if (!store.get().author) store.set({ dialog: 'author' });
  });
}
