/**
 * What the user can do, as functions over the store and the API: open and create projects, start and
 * cancel jobs, and fold the engine's events into the state. Errors become the banner's sentence.
 */
import type { ApiEvent, ApiRequest, JobKind } from '../../../shared/api';
import { call, messageOf, onApiEvent } from '../api/client';
import { store, type JobView, type Screen } from './store';

export function showError(e: unknown): void {
  store.set({ error: messageOf(e) });
}

export async function attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    showError(e);
    return undefined;
  }
}

export async function refreshProject(): Promise<void> {
  const project = await call('project:summary', {});
  store.set({ project });
  if (project) {
    const samples = await call('samples:list', {});
    store.set((s) => ({
      samples,
      selectedSample:
        s.selectedSample && samples.some((x) => x.id === s.selectedSample)
          ? s.selectedSample
          : (samples[0]?.id ?? null),
    }));
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
  return attempt(async () => {
    const { jobId } = await call(channel, request);
    const job: JobView = {
      jobId,
      kind: KIND[channel],
      state: 'running',
      progress: null,
      result: null,
      message: null,
      startedAt: Date.now(),
      loss: [],
    };
    store.set((s) => ({ jobs: { ...s.jobs, [job.kind]: job }, error: null }));
    return jobId;
  });
}

let cvTimer: ReturnType<typeof setTimeout> | null = null;

/** After a saved annotation: a quick cross-validated check in the background, a few seconds after the last save. */
export function startQuickCv(): void {
  const { project } = store.get();
  if (!project || project.counts.annotations < 2) return;
  if (cvTimer) clearTimeout(cvTimer);
  cvTimer = setTimeout(() => {
    cvTimer = null;
    void startJob('train:quick-cv', {});
  }, 3000);
}

export async function cancelJob(kind: JobKind): Promise<void> {
  const job = store.get().jobs[kind];
  if (job?.state === 'running') await attempt(() => call('job:cancel', { jobId: job.jobId }));
}

function onJobEvent(e: Extract<ApiEvent, { type: 'job' }>): void {
  store.set((s) => {
    const prev = s.jobs[e.kind];
    const base: JobView =
      prev && prev.jobId === e.jobId
        ? prev
        : {
            jobId: e.jobId,
            kind: e.kind,
            state: 'running',
            progress: null,
            result: null,
            message: null,
            startedAt: Date.now(),
            loss: [],
          };
    const next: JobView = { ...base, state: e.state };
    if (e.state === 'running') {
      next.progress = e.progress;
      if (e.kind === 'train' || e.kind === 'cv') {
        const p = e.progress;
        // A call that took no step reports no loss (NaN, which JSON carries as null).
        if (typeof p.loss === 'number' && Number.isFinite(p.loss))
          next.loss = [...base.loss, { step: base.loss.length, loss: p.loss, phase: p.phase }];
      }
    } else if (e.state === 'done') next.result = e.result;
    else next.message = e.message;
    return { jobs: { ...s.jobs, [e.kind]: next } };
  });
  if (e.state === 'done' && e.kind === 'create') {
    store.set({ project: e.result, screen: 'annotate', dialog: null });
    void refreshProject();
  }
  if (e.state === 'done' && e.kind === 'suggest') {
    const pick = e.result.sampleId;
    void refreshProject().then(() => selectSample(pick));
  }
  // A background check that fails is not worth a banner; everything else is.
  if (e.state === 'failed' && e.kind !== 'cv') store.set({ error: e.message });
}

/** Fold the engine's events into the state; returns the function that stops listening. */
export function listen(menu: (action: Extract<ApiEvent, { type: 'menu' }>['action']) => void): () => void {
  return onApiEvent((e) => {
    switch (e.type) {
      case 'job':
        onJobEvent(e);
        break;
      case 'compute':
        if (e.state === 'crashed') store.set({ computeCrash: e.message, error: e.message });
        else
          store.set((s) => ({
            computeCrash: null,
            project: s.project ? { ...s.project, provider: e.provider } : s.project,
          }));
        break;
      case 'project':
        if (e.changed === 'closed') break;
        if (e.changed === 'interpreters' || e.changed === 'runs' || e.changed === 'annotations') {
          const key = e.changed;
          store.set((s) => ({ versions: { ...s.versions, [key]: s.versions[key] + 1 } }));
        }
        void attempt(refreshProject);
        break;
      case 'menu':
        menu(e.action);
        break;
      case 'notice':
        store.set({ notice: e.message });
        break;
    }
  });
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
