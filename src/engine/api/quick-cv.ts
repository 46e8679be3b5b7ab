/**
 * The quick cross-validation that follows annotation saves (the IoU-per-class panel beside the canvas).
 * The host starts it itself, a few seconds after the last save and only once the project has two
 * annotations; windows see it through the job's events like any other job. One runs at a time: a save
 * made meanwhile restarts the countdown, and the check it starts replaces the running one, whose answer
 * would describe annotations that no longer exist. Bulk changes (an import, a merge) start none: the
 * labeler trains next, and a check would only compete with that.
 */
import type { Disposable } from '../../shared/lifecycle';
import { quickCrossValidation } from '../jobs/train-project';
import type { StudioHost } from './studio-host';

/** How long after the last save the check starts: past a burst of autosaves, soon after a pause. */
export const QUICK_CV_DELAY_MS = 3000;

/** Start the check now (replacing a running one); the job's id. */
export function startQuickCv(host: StudioHost): string {
  const project = host.open.project;
  host.model();
  const running = host.jobs.busy('cv');
  if (running) host.jobs.cancel(running);
  return host.jobs.start('cv', ({ signal, progress }) =>
    quickCrossValidation(project, host.compute, { signal, onProgress: progress }),
  );
}

export class QuickCvScheduler implements Disposable {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly host: StudioHost,
    private readonly delayMs = QUICK_CV_DELAY_MS,
  ) {}

  /** An annotation was saved: (re)start the countdown to the next check. */
  saved(): void {
    this.dispose();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.startIfWorthwhile();
    }, this.delayMs);
  }

  /** Stop the countdown (the project closes); a running check is the job registry's to cancel. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private startIfWorthwhile(): void {
    const { host } = this;
    if (!host.isOpen || !host.open.model || host.open.project.listAnnotations().length < 2) return;
    startQuickCv(host);
  }
}
