import { describe, expect, it } from 'vitest';
import { latestPerFolder, outcome, runView, type RunRecord } from '../run-state';

const base: RunRecord = {
  id: 'a',
  status: 'running',
  outDir: '/data/a',
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:00.000Z',
  progress: null,
  result: null,
  count: 100,
  filter: 0.1,
  formats: ['coco'],
};
const summary = {
  outDir: '/data/a',
  status: 'finished' as const,
  generated: 111,
  done: 111,
  kept: 100,
  filtered: 11,
  formats: ['coco' as const],
};

describe('runView', () => {
  it('gives each state its own word and colour, with the numbers written', () => {
    const cancelled = runView(
      {
        ...base,
        status: 'done',
        progress: { done: 37, total: 111 },
        result: { ...summary, status: 'cancelled', done: 37, kept: null, filtered: null },
      },
      false,
    );
    expect(cancelled).toEqual({
      state: 'cancelled',
      label: 'Cancelled',
      intent: 'warning',
      detail: '37 of 111 samples written',
      resumable: true,
    });
    const failed = runView(
      { ...base, status: 'failed', progress: { done: 5, total: 111 }, result: { error: 'x' } },
      false,
    );
    expect(failed).toMatchObject({
      state: 'failed',
      intent: 'danger',
      detail: '5 of 111 samples written',
      resumable: true,
    });
    const resumed = runView({ ...base, progress: { done: 60, total: 111, resumedFrom: 37 } }, true);
    expect(resumed).toMatchObject({ state: 'resumed', intent: 'primary', resumable: false });
    expect(resumed.detail).toBe('60 of 111 samples written (resumed at 37)');
    expect(runView({ ...base, progress: { done: 60, total: 111 } }, true)).toMatchObject({ state: 'running' });
    expect(runView({ ...base, progress: { done: 60, total: 111 } }, false)).toMatchObject({
      state: 'interrupted',
      intent: 'warning',
      resumable: true,
    });
    const finished = runView(
      { ...base, status: 'done', progress: { done: 111, total: 111, resumedFrom: 37 }, result: summary },
      false,
    );
    expect(finished).toEqual({
      state: 'finished',
      label: 'Finished',
      intent: 'success',
      detail: '100 samples kept, 11 filtered as most uncertain, of 111 (resumed at 37)',
      resumable: false,
    });
  });

  it('shows one row per folder, the most recently active first', () => {
    const rows = latestPerFolder([
      { ...base, id: 'old', updatedAt: '2026-01-01T10:00:00.000Z' },
      { ...base, id: 'b', outDir: '/data/b', updatedAt: '2026-01-01T11:00:00.000Z' },
      { ...base, id: 'new', updatedAt: '2026-01-01T12:00:00.000Z' },
    ]);
    expect(rows.map((r) => r.id)).toEqual(['new', 'b']);
  });
});

describe('outcome', () => {
  it('never calls a cancelled run generated, and says what a resume wrote', () => {
    expect(outcome('done', { ...summary, status: 'cancelled', done: 37, kept: null, filtered: null }, null)).toEqual({
      intent: 'warning',
      title: 'Cancelled',
      text: '37 samples of 111 were written into /data/a; Resume continues from there.',
    });
    expect(outcome('done', summary, null)?.text).toBe(
      'Generated 111 samples into /data/a: kept 100, filtered 11 as most uncertain.',
    );
    const record = { ...base, status: 'done', progress: { done: 111, total: 111, resumedFrom: 37 } };
    expect(outcome('done', summary, record)).toEqual({
      intent: 'success',
      title: 'Resumed and finished',
      text: '/data/a now holds all 111 samples (74 written by the resume): kept 100, filtered 11 as most uncertain.',
    });
    expect(outcome('failed', null, { ...base, status: 'failed', progress: { done: 5, total: 111 } })).toMatchObject({
      intent: 'danger',
      text: '5 of 111 samples written; Resume in the list below continues from there.',
    });
  });
});
