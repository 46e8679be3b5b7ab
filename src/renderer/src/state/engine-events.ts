/**
 * The engine's events folded into the store. Project events carry what changed (the new summary and
 * the sample rows added or changed), so the state is patched, not fetched again; only a project opened
 * anew (opening, creating, or a merge that reopened it) is read in full. Job events keep each kind's
 * newest job, whoever started it: the quick cross-validation after a save is started by the engine.
 */
import type { ApiEvent, JobEvent, ProjectEvent, SampleRow } from '../../../shared/api';
import { onApiEvent } from '../api/client';
import { attempt, keptSelection, refreshProject, selectSample } from './actions';
import { newJob, noticePatch, store, type JobView, type StudioState } from './store';
import type { Disposable } from '../../../shared/lifecycle';

/** `rows` put in place of the rows with their ids; new ones (the newest samples) go at the end. */
export function upsertRows(list: readonly SampleRow[], rows: readonly SampleRow[]): SampleRow[] {
  if (rows.length === 0) return [...list];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const next = list.map((r) => byId.get(r.id) ?? r);
  const known = new Set(list.map((r) => r.id));
  return [...next, ...rows.filter((r) => !known.has(r.id))];
}

/** The state after a project event (pure, so it is tested without a window). */
export function patchProject(s: StudioState, e: Exclude<ProjectEvent, { changed: 'closed' }>): Partial<StudioState> {
  if (e.changed === 'opened') {
    const v = s.versions;
    return {
      project: e.summary,
      versions: { annotations: v.annotations + 1, interpreters: v.interpreters + 1, runs: v.runs + 1 },
    };
  }
  const samples = upsertRows(s.samples, e.samples);
  const versions =
    e.changed === 'annotations' || e.changed === 'interpreters' || e.changed === 'runs'
      ? { ...s.versions, [e.changed]: s.versions[e.changed] + 1 }
      : s.versions;
  // A merge's notice tells of conflicts to settle: once none is left it has nothing true to say.
  const settled = s.noticeUntilSettled && e.summary.conflicts === 0 ? noticePatch(null) : {};
  return {
    project: e.summary,
    samples,
    selectedSample: keptSelection(s.selectedSample, samples),
    versions,
    ...settled,
  };
}

/** The job view after a job event. */
export function patchJob(prev: JobView | undefined, e: JobEvent): JobView {
  const base = prev && prev.jobId === e.jobId ? prev : newJob(e.jobId, e.kind);
  if (e.state === 'started') return base;
  const next: JobView = { ...base, state: e.state };
  if (e.state === 'running') {
    next.progress = e.progress;
    if (e.kind === 'train' || e.kind === 'cv') {
      const p = e.progress;
      // A call that took no step reports no loss (NaN, which JSON carries as null).
      if (p.phase !== 'load' && typeof p.loss === 'number' && Number.isFinite(p.loss))
        next.loss = [
          ...base.loss,
          { step: p.step, loss: p.loss, phase: p.phase, fold: p.fold, folds: p.folds, stackFolds: p.stackFolds },
        ];
    }
  } else if (e.state === 'done') next.result = e.result;
  else next.message = e.message;
  return next;
}

function onJobEvent(e: JobEvent): void {
  store.set((s) => ({ jobs: { ...s.jobs, [e.kind]: patchJob(s.jobs[e.kind], e) } }));
  if (e.state === 'done' && e.kind === 'create') {
    store.set({ project: e.result, screen: 'annotate', dialog: null });
    void attempt(refreshProject);
  }
  // The pick's row came with the samples event before the job ended.
  if (e.state === 'done' && e.kind === 'suggest') selectSample(e.result.sampleId);
  // A background check that fails is not worth a banner; everything else is.
  if (e.state === 'failed' && e.kind !== 'cv') store.set({ error: e.message });
}

function onProjectEvent(e: ProjectEvent): void {
  if (e.changed === 'closed') return;
  store.set((s) => patchProject(s, e));
  if (e.changed === 'opened') void attempt(refreshProject);
}

/** Fold the engine's events into the state; returns the function that stops listening. */
export function listen(menu: (action: Extract<ApiEvent, { type: 'menu' }>['action']) => void): Disposable {
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
        onProjectEvent(e);
        break;
      case 'menu':
        menu(e.action);
        break;
      case 'notice':
        store.set(noticePatch(e.message));
        break;
      case 'connection':
        store.set({ connection: e.state === 'lost' ? 'lost' : 'ok' });
        // Events sent while the page was away are lost: read the project anew.
        if (e.state === 'restored') void attempt(refreshProject);
        break;
    }
  });
}
