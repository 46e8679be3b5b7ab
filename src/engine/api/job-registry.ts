/**
 * The studio's running jobs: each has an id, a kind, an AbortController and a progress stream. Progress
 * is sent at most every PROGRESS_MS per job (the newest value wins; the last one before the end is
 * always sent), so a chatty job cannot flood a window. A job is announced when it starts (so a window
 * shows jobs it did not start itself) and ends as done, cancelled or failed, with a sentence for the last two.
 */
import { randomUUID } from 'node:crypto';
import type { ApiEvent, JobKind, JobProgressOf, JobResultOf } from '../../shared/api';
import { isUserError, UserError } from '../../shared/errors';

const PROGRESS_MS = 50;

export interface JobContext<K extends JobKind> {
  signal: AbortSignal;
  progress(p: JobProgressOf[K]): void;
}

interface Running {
  kind: JobKind;
  startedAt: number;
  abort: AbortController;
  settled: Promise<void>;
}

function isAbort(e: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (e instanceof Error && e.name === 'AbortError');
}

export class JobRegistry {
  private readonly running = new Map<string, Running>();

  constructor(private readonly emit: (e: ApiEvent) => void) {}

  list(): { jobId: string; kind: JobKind; startedAt: number }[] {
    return [...this.running].map(([jobId, r]) => ({ jobId, kind: r.kind, startedAt: r.startedAt }));
  }

  /** A job of this kind that is still running, if any. */
  busy(kind: JobKind): string | null {
    for (const [jobId, r] of this.running) if (r.kind === kind) return jobId;
    return null;
  }

  start<K extends JobKind>(kind: K, run: (ctx: JobContext<K>) => Promise<JobResultOf[K]>): string {
    const jobId = randomUUID();
    const abort = new AbortController();
    const emit = this.emit as (e: unknown) => void;
    let pending: JobProgressOf[K] | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastSent = 0;
    const flush = () => {
      timer = null;
      if (pending === null) return;
      lastSent = Date.now();
      emit({ type: 'job', jobId, kind, state: 'running', progress: pending });
      pending = null;
    };
    const ctx: JobContext<K> = {
      signal: abort.signal,
      progress(p) {
        pending = p;
        const wait = PROGRESS_MS - (Date.now() - lastSent);
        if (wait <= 0) flush();
        else timer ??= setTimeout(flush, wait);
      },
    };
    emit({ type: 'job', jobId, kind, state: 'started' });
    const settled = (async () => {
      try {
        const result = await run(ctx);
        if (timer) clearTimeout(timer);
        flush();
        emit({ type: 'job', jobId, kind, state: 'done', result });
      } catch (e) {
        if (timer) clearTimeout(timer);
        flush();
        if (isAbort(e, abort.signal)) emit({ type: 'job', jobId, kind, state: 'cancelled', message: 'Cancelled.' });
        else {
          if (!isUserError(e)) console.error(e);
          const message = isUserError(e)
            ? e.message
            : `Something went wrong inside the app (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); please report this.`;
          emit({ type: 'job', jobId, kind, state: 'failed', message });
        }
      } finally {
        this.running.delete(jobId);
      }
    })();
    this.running.set(jobId, { kind, startedAt: Date.now(), abort, settled });
    return jobId;
  }

  cancel(jobId: string): void {
    const job = this.running.get(jobId);
    if (!job) throw new UserError('That job has already ended.');
    job.abort.abort();
  }

  /** Cancel every job and wait until each has ended. */
  async dispose(): Promise<void> {
    const all = [...this.running.values()];
    for (const j of all) j.abort.abort();
    await Promise.all(all.map((j) => j.settled));
  }
}
