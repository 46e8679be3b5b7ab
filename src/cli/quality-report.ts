/**
 * The interpreter's quality report as sentences (dgs train, dgs demo): cross-validated mIoU and IoU per
 * class, the annotation cleanup's threshold, and a warning naming each class the cleanup erased.
 */
import type { QualityReport } from '../engine/jobs/train-project';

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

export function erasedSentence(e: QualityReport['erased'][number]): string {
  return `class "${e.className}" (${e.pixels} pixels) was erased from the annotation of sample ${e.sampleId} by the cleanup`;
}

export function describeQuality(report: QualityReport, out: (line: string) => void, err: NodeJS.WritableStream): void {
  const m = report.metrics;
  if (m.report === 'stopped') {
    out('No cross-validated report: its run was stopped before the end (the ensemble itself is stored and usable).');
  } else if (m.miou === null) {
    out('No cross-validation ran.');
  } else {
    out(
      `Cross-validated mIoU ${pct(m.miou)}. What it means: the annotations were split into ${m.folds} folds; for each, ` +
        `${m.cvMembers === undefined ? 'a smaller ensemble' : `an ensemble of ${m.cvMembers}`} trained by the same rule on the other folds labeled it, ` +
        'and IoU was pooled over every held-out pixel: an estimate, from fewer annotations and members, of how the final ensemble labels new images. IoU per class:',
    );
  }
  if (m.miou !== null) {
    for (const c of report.classes) {
      const v = m.perClass[c.index];
      out(
        `  ${c.name.padEnd(24)} ${v === null || v === undefined ? '   n/a (not in the annotations)' : pct(v).padStart(7)}`,
      );
    }
  }
  const cleanup = m.cleanup;
  if (!cleanup) return;
  out(
    `Cleanup: in each annotation, a class under ${cleanup.minClassPixels} pixel(s) (${cleanup.minClassFraction.toPrecision(3)} of the image) becomes background.`,
  );
  for (const e of report.erased) {
    err.write(
      `dgs: warning: ${erasedSentence(e)}; lower the threshold with \`dgs train --min-class-fraction F\` ` +
        `(now ${cleanup.minClassFraction.toPrecision(3)}) to keep it.\n`,
    );
  }
}
