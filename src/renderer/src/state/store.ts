/**
 * The studio's state in the renderer: one small store read through `useStudio(selector)`
 * (useSyncExternalStore), changed only by the actions in actions.ts and the engine's events (engine-events.ts).
 * The summary and the sample list are patched from the events; views that show other data the engine
 * owns (interpreters, runs, conflicts) refetch when its `versions` counter moves.
 */
import { useSyncExternalStore } from 'react';
import type { ApiResponse, JobKind, ProjectSummary, SampleRow } from '../../../shared/api';

export type AppInfo = ApiResponse<'app:info'>;
export type { SampleRow };

/** One optimiser call's mean loss, with the stack of folds (or the final ensemble) it belongs to. */
export interface LossPoint {
  /** Optimiser steps per member so far within its stack (restarts at each stack and at the ensemble). */
  step: number;
  loss: number;
  phase: 'cv' | 'ensemble';
  fold: number;
  folds: number;
  stackFolds: number;
}

export interface JobView {
  jobId: string;
  kind: JobKind;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  progress: unknown;
  result: unknown;
  message: string | null;
  startedAt: number;
  /** Training only: every loss the job reported, in order. */
  loss: LossPoint[];
}

/** A job just started, before any progress. */
export function newJob(jobId: string, kind: JobKind): JobView {
  return {
    jobId,
    kind,
    state: 'running',
    progress: null,
    result: null,
    message: null,
    startedAt: Date.now(),
    loss: [],
  };
}

export type Screen = 'annotate' | 'gallery' | 'train' | 'generate' | 'conflicts';

export interface StudioState {
  info: AppInfo | null;
  project: ProjectSummary | null;
  samples: SampleRow[];
  selectedSample: string | null;
  screen: Screen;
  jobs: Partial<Record<JobKind, JobView>>;
  /** A sentence for the error banner. */
  error: string | null;
  /** What the error banner offers to do about it (Resume for a folder that holds an earlier run). */
  errorAction: { label: string; run(): void } | null;
  notice: string | null;
  /** The notice is about conflicts waiting (a merge's result): it goes once none is left. */
  noticeUntilSettled: boolean;
  /** The notice carries a warning (an import whose ids look shifted): shown in the warning colour. */
  noticeWarns: boolean;
  /** Whether the studio server answers (the browser; the desktop app is always 'ok'). */
  connection: 'ok' | 'lost';
  computeCrash: string | null;
  theme: 'light' | 'dark';
  author: string | null;
  saveState: 'saved' | 'saving' | 'failed';
  versions: { annotations: number; interpreters: number; runs: number };
  dialog: 'new-project' | 'author' | 'merge' | 'labeler-copy' | 'save-copy' | 'export-labels' | 'shortcuts' | null;
}

const stored = (key: string): string | null => {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
};

export const initialState: StudioState = {
  info: null,
  project: null,
  samples: [],
  selectedSample: null,
  screen: 'annotate',
  jobs: {},
  error: null,
  errorAction: null,
  notice: null,
  noticeUntilSettled: false,
  noticeWarns: false,
  connection: 'ok',
  computeCrash: null,
  theme: stored('dgs.theme') === 'dark' ? 'dark' : 'light',
  author: stored('dgs.author'),
  saveState: 'saved',
  versions: { annotations: 0, interpreters: 0, runs: 0 },
  dialog: null,
};

type Listener = () => void;

class Store {
  private state: StudioState = initialState;
  private readonly listeners = new Set<Listener>();

  get = (): StudioState => this.state;

  set(patch: Partial<StudioState> | ((s: StudioState) => Partial<StudioState>)): void {
    const next = typeof patch === 'function' ? patch(this.state) : patch;
    this.state = { ...this.state, ...next };
    for (const l of this.listeners) l();
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

export const store = new Store();

/** A notice, replacing the one before with all of its manner (so no earlier flag lingers). */
export function noticePatch(
  message: string | null,
  how: { untilSettled?: boolean; warns?: boolean } = {},
): Pick<StudioState, 'notice' | 'noticeUntilSettled' | 'noticeWarns'> {
  return { notice: message, noticeUntilSettled: how.untilSettled ?? false, noticeWarns: how.warns ?? false };
}

export function useStudio<T>(selector: (s: StudioState) => T): T {
  return useSyncExternalStore(store.subscribe, () => selector(store.get()));
}
