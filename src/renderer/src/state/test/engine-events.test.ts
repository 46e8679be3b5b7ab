/** Project and job events patch the state: rows replaced in place or appended, the summary taken as sent. */
import { describe, expect, it } from 'vitest';
import type { ProjectSummary, SampleRow } from '../../../../shared/api';
import { patchJob, patchProject } from '../engine-events';
import { initialState, newJob, type StudioState } from '../store';

const row = (id: string, revision: number | null = null): SampleRow => ({
  id,
  seed: Number(id.slice(1)),
  psi: 0.7,
  creator: 'studio',
  createdAt: '2025-01-01T00:00:00Z',
  assignee: null,
  annotation: revision === null ? null : { author: 'Ada', revision, updatedAt: '2025-01-02T00:00:00Z' },
});
const summary = (annotations: number) =>
  ({ name: 'faces', counts: { samples: 3, annotations, interpreters: 0, generationRuns: 0 } }) as ProjectSummary;

describe('project events', () => {
  const state: StudioState = {
    ...initialState,
    project: summary(0),
    samples: [row('s0'), row('s1'), row('s2')],
    selectedSample: 's1',
  };

  it('takes the summary and the changed row in place, keeping the order and the selection', () => {
    const next = patchProject(state, {
      type: 'project',
      changed: 'annotations',
      summary: summary(1),
      samples: [row('s1', 1)],
    });
    expect(next.project!.counts.annotations).toBe(1);
    expect(next.samples!.map((s) => [s.id, s.annotation?.revision ?? null])).toEqual([
      ['s0', null],
      ['s1', 1],
      ['s2', null],
    ]);
    expect(next.selectedSample).toBe('s1');
    expect(next.versions!.annotations).toBe(state.versions.annotations + 1);
  });

  it('appends new samples and selects the first when nothing was selected', () => {
    const next = patchProject(
      { ...state, samples: [], selectedSample: null },
      { type: 'project', changed: 'samples', summary: summary(0), samples: [row('s5'), row('s6')] },
    );
    expect(next.samples!.map((s) => s.id)).toEqual(['s5', 's6']);
    expect(next.selectedSample).toBe('s5');
    expect(next.versions).toBe(initialState.versions);
  });

  it("drops a merge's notice once no conflict is left, and keeps it while some are", () => {
    const merged = { ...state, notice: 'Merged: 1 conflict to settle.', noticeUntilSettled: true };
    const waiting = { ...summary(1), conflicts: 1 } as ProjectSummary;
    const settled = { ...summary(1), conflicts: 0 } as ProjectSummary;
    const event = (s: ProjectSummary) => ({
      type: 'project' as const,
      changed: 'annotations' as const,
      summary: s,
      samples: [],
    });
    expect(patchProject(merged, event(waiting)).notice).toBeUndefined();
    expect(patchProject(merged, event(settled))).toMatchObject({ notice: null, noticeUntilSettled: false });
    expect(patchProject({ ...merged, noticeUntilSettled: false }, event(settled)).notice).toBeUndefined();
  });

  it('marks everything as changed when a project opens anew', () => {
    const next = patchProject(state, { type: 'project', changed: 'opened', summary: summary(2) });
    expect(next.project!.counts.annotations).toBe(2);
    expect(next.versions).toEqual({ annotations: 1, interpreters: 1, runs: 1 });
  });
});

describe('job events', () => {
  it('shows a job the engine started (the quick check after a save) from its started event', () => {
    const job = patchJob(undefined, { type: 'job', jobId: 'j1', kind: 'cv', state: 'started' });
    expect(job).toMatchObject({ jobId: 'j1', kind: 'cv', state: 'running', progress: null });
    const newer = patchJob(job, { type: 'job', jobId: 'j2', kind: 'cv', state: 'started' });
    expect(newer.jobId).toBe('j2');
    const done = patchJob(newer, {
      type: 'job',
      jobId: 'j2',
      kind: 'cv',
      state: 'done',
      result: { miou: 0.5, perClass: [null, 0.5], annotated: 2 },
    });
    expect(done).toMatchObject({ state: 'done', result: { annotated: 2 } });
  });

  it('keeps what a job reported when its started event comes late', () => {
    const running = patchJob(newJob('j1', 'train'), {
      type: 'job',
      jobId: 'j1',
      kind: 'train',
      state: 'running',
      progress: { phase: 'ensemble', loss: 0.5 } as never,
    });
    expect(patchJob(running, { type: 'job', jobId: 'j1', kind: 'train', state: 'started' })).toBe(running);
  });
});
