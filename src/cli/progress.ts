import type { InterpreterProgress } from '../shared/interpreter-types';

/**
 * A progress bar on stderr. On a terminal it redraws one line; in logs (CI, batch jobs) it prints a line
 * at most every few seconds, so files stay readable.
 */
export interface ProgressBar {
  update(done: number, total: number, detail?: string): void;
  done(message?: string): void;
}

export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Progress for tools (--json-progress): one JSON object per line on stderr,
 * {"progress": label, "done", "total", "fraction", "detail"}, at most a few a second and always the last.
 */
export function jsonProgress(stream: NodeJS.WritableStream, label: string): ProgressBar {
  let last = 0;
  return {
    update(done, total, detail = '') {
      if (Date.now() - last < 250 && done !== total) return;
      last = Date.now();
      stream.write(
        `${JSON.stringify({ progress: label, done, total, fraction: total > 0 ? Math.min(1, done / total) : 0, detail })}\n`,
      );
    },
    done(message) {
      if (message) stream.write(`${JSON.stringify({ progress: label, message })}\n`);
    },
  };
}

/** The option commands with progress take to print it as JSON lines. */
export const JSON_PROGRESS_OPTION = { 'json-progress': { type: 'boolean' } } as const;

/** A bar for people (a redrawn line on a terminal, plain lines in logs), or JSON lines with --json-progress. */
export function progressFor(values: Record<string, unknown>, stream: NodeJS.WriteStream, label: string): ProgressBar {
  return values['json-progress'] === true ? jsonProgress(stream, label) : progressBar(stream, label);
}

export function progressBar(stream: NodeJS.WriteStream, label: string): ProgressBar {
  const tty = stream.isTTY === true;
  let lastLog = 0;
  let drawn = false;
  return {
    update(done, total, detail = '') {
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      if (tty) {
        const width = 28;
        const full = Math.round(frac * width);
        stream.write(
          `\r${label} [${'#'.repeat(full)}${'-'.repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}% ${detail}\x1b[K`,
        );
        drawn = true;
      } else if (Date.now() - lastLog > 3000 || done === total) {
        lastLog = Date.now();
        stream.write(`${label} ${(frac * 100).toFixed(0)}% ${detail}\n`);
      }
    },
    done(message) {
      if (tty && drawn) stream.write('\n');
      if (message) stream.write(message + '\n');
    },
  };
}

/**
 * Progress of interpreter training on a bar: loading the samples, the final ensemble (stored as soon as
 * it is trained), then the cross-validated report when there is one; the bar moves within each stage
 * (samples loaded, or member-steps against the steps the stage is expected to take) and says its ETA.
 */
export function trainingProgress(bar: ProgressBar, withReport: boolean): (p: InterpreterProgress) => void {
  const order: InterpreterProgress['phase'][] = withReport ? ['load', 'ensemble', 'cv'] : ['load', 'ensemble'];
  let loss = Number.NaN;
  return (p) => {
    if (Number.isFinite(p.loss)) loss = p.loss;
    const what =
      p.phase === 'load'
        ? `loading sample ${p.member}/${p.members}`
        : p.phase === 'cv'
          ? `cross-validation (${p.folds} folds, ${p.members} models at a time), step ${p.step}`
          : `ensemble of ${p.members}, step ${p.step}, ${p.member} still training`;
    const parts = [what];
    if (p.phase !== 'load' && Number.isFinite(loss)) parts.push(`loss ${loss.toFixed(4)}`);
    if (p.etaSeconds !== null) parts.push(`ETA ${formatSeconds(p.etaSeconds)}`);
    const stage = Math.max(0, order.indexOf(p.phase));
    bar.update(stage + Math.min(1, p.fraction), order.length, parts.join(', '));
  };
}
