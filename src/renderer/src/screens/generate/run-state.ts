/**
 * What a generation run's record says, in words and a colour a person reads at a glance: running,
 * resumed, cancelled, interrupted, failed or finished, each with the numbers that were really written
 * (the record's progress and summary, never the numbers asked for). Pure, so it is tested without a page.
 */
import type { Intent } from '@blueprintjs/core';
import type { ApiResponse } from '../../../../shared/api';
import type { GenerationSummary } from '../../../../shared/dataset-types';

export type RunRecord = ApiResponse<'runs:list'>[number];

export type RunState = 'running' | 'resumed' | 'cancelled' | 'interrupted' | 'failed' | 'finished';

export interface RunView {
  state: RunState;
  /** The status tag's word. */
  label: string;
  intent: Intent;
  /** The numbers, as a phrase: "37 of 111 samples written". */
  detail: string;
  /** Resume continues it (the folder holds a run that is not finished). */
  resumable: boolean;
}

const LOOK: Record<RunState, { label: string; intent: Intent }> = {
  running: { label: 'Running', intent: 'none' },
  resumed: { label: 'Resumed', intent: 'primary' },
  cancelled: { label: 'Cancelled', intent: 'warning' },
  interrupted: { label: 'Interrupted', intent: 'warning' },
  failed: { label: 'Failed', intent: 'danger' },
  finished: { label: 'Finished', intent: 'success' },
};

const n = (x: number): string => x.toLocaleString('en-US');
const samples = (x: number): string => `${n(x)} sample${x === 1 ? '' : 's'}`;

function summaryOf(r: RunRecord): GenerationSummary | null {
  return r.result && 'status' in r.result ? (r.result as GenerationSummary) : null;
}

/** "37 of 111 samples written (resumed at 20)". */
function written(r: RunRecord): string {
  const p = r.progress;
  if (!p) return 'nothing written yet';
  const resumed = p.resumedFrom !== undefined ? ` (resumed at ${n(p.resumedFrom)})` : '';
  return `${n(p.done)} of ${samples(p.total)} written${resumed}`;
}

/**
 * The run as a row shows it. `live`: a generation job of this studio is running now, so a record that
 * says "running" is that job; without one, a "running" record is a run that was stopped from outside
 * (a killed process) and is shown as interrupted.
 */
export function runView(r: RunRecord, live: boolean): RunView {
  const summary = summaryOf(r);
  const resumed = r.progress?.resumedFrom !== undefined;
  let state: RunState;
  let detail: string;
  if (r.status === 'done' && summary?.status !== 'cancelled') {
    state = 'finished';
    detail =
      summary && summary.kept !== null
        ? `${samples(summary.kept)} kept, ${n(summary.filtered ?? 0)} filtered as most uncertain, of ${n(summary.generated)}${resumed ? ` (resumed at ${n(r.progress!.resumedFrom!)})` : ''}`
        : written(r);
  } else if (r.status === 'running' || r.status === 'queued') {
    state = !live ? 'interrupted' : resumed ? 'resumed' : 'running';
    detail = written(r);
  } else if (r.status === 'failed') {
    state = 'failed';
    detail = written(r);
  } else {
    state = 'cancelled';
    detail = written(r);
  }
  return { state, ...LOOK[state], detail, resumable: !live && state !== 'finished' && r.count !== null };
}

/**
 * One row per output folder, the most recently active first: the newest record of each folder (a
 * project from before one record per folder may hold one per resume).
 */
export function latestPerFolder(runs: readonly RunRecord[]): RunRecord[] {
  const seen = new Set<string>();
  const out: RunRecord[] = [];
  for (const r of [...runs].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))) {
    if (seen.has(r.outDir)) continue;
    seen.add(r.outDir);
    out.push(r);
  }
  return out;
}

/** The sentence and colour for the generation that just ended, from its summary and its record. */
export function outcome(
  ended: 'done' | 'cancelled' | 'failed',
  summary: GenerationSummary | null,
  record: RunRecord | null,
): { intent: Intent; title: string; text: string } | null {
  const from = record?.progress?.resumedFrom;
  const resumedAt = from !== undefined ? ` (resumed at ${n(from)})` : '';
  if (ended === 'failed')
    return record
      ? {
          intent: 'danger',
          title: 'Failed',
          text: `${cap(written(record))}; Resume in the list below continues from there.`,
        }
      : null;
  if (ended === 'cancelled' || !summary || summary.status === 'cancelled') {
    if (summary)
      return {
        intent: 'warning',
        title: 'Cancelled',
        text: `${samples(summary.done)} of ${n(summary.generated)} were written into ${summary.outDir}${resumedAt}; Resume continues from there.`,
      };
    return record
      ? { intent: 'warning', title: 'Cancelled', text: `${cap(written(record))}; Resume continues from there.` }
      : null;
  }
  const kept = `kept ${n(summary.kept ?? summary.done)}, filtered ${n(summary.filtered ?? 0)} as most uncertain`;
  if (from !== undefined)
    return {
      intent: 'success',
      title: 'Resumed and finished',
      text: `${summary.outDir} now holds all ${samples(summary.generated)} (${n(summary.generated - from)} written by the resume): ${kept}.`,
    };
  return {
    intent: 'success',
    title: 'Finished',
    text: `Generated ${samples(summary.generated)} into ${summary.outDir}: ${kept}.`,
  };
}

const cap = (s: string): string => s[0].toUpperCase() + s.slice(1);
