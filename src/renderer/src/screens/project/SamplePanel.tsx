import { Button, Callout, H6, HTMLTable, ProgressBar, Spinner } from '@blueprintjs/core';
import { Lightbulb } from '@blueprintjs/icons';
import type { JobResultOf } from '../../../../shared/api';
import type { CountProgress } from '../../../../shared/compute-api';
import { startJob } from '../../state/actions';
import { useReadOnlyTip } from '../../state/read-only';
import { useStudio } from '../../state/store';

/**
 * Beside the canvas: the sample's state, **Next uncertain sample** (active learning), and what the
 * interpreter knows — a quick cross-validated IoU per class after each save, so the labeler sees which
 * classes need more examples.
 */
export function SamplePanel({ hasPrediction }: { hasPrediction: boolean }) {
  const sample = useStudio((s) => s.samples.find((x) => x.id === s.selectedSample) ?? null);
  const interpreters = useStudio((s) => s.project?.counts.interpreters ?? 0);
  const classes = useStudio((s) => s.project?.classes ?? []);
  const readonly = useStudio((s) => s.project?.readonly ?? true);
  const readonlyTip = useReadOnlyTip();
  const suggest = useStudio((s) => s.jobs.suggest);
  const cv = useStudio((s) => s.jobs.cv);
  const searching = suggest?.state === 'running';
  const cvResult = cv?.state === 'done' ? (cv.result as JobResultOf['cv']) : null;
  const shown = cvResult
    ? classes.filter((c) => cvResult.perClass[c.index] !== null && cvResult.perClass[c.index] !== undefined)
    : [];
  return (
    <aside className="sample-panel" aria-label="Sample">
      <H6>Sample</H6>
      {sample && (
        <p>
          Seed {sample.seed} · ψ {sample.psi}
          {sample.assignee ? ` · for ${sample.assignee}` : ''}
        </p>
      )}
      <p className="muted caption">
        {sample?.annotation
          ? `Annotated by ${sample.annotation.author ?? 'unknown'}, revision ${sample.annotation.revision}`
          : 'Not annotated yet'}
      </p>
      {hasPrediction && (
        <p className="muted caption">
          Pre-label (A) fills the map with the interpreter&apos;s labels; U shows where it is unsure.
        </p>
      )}
      <Button
        icon={<Lightbulb />}
        text="Next uncertain sample"
        fill
        disabled={interpreters === 0 || readonly || searching}
        title={
          readonlyTip ??
          (interpreters === 0
            ? 'Train an interpreter first'
            : 'Ranks fresh samples by the interpreter’s uncertainty and opens the least certain one')
        }
        onClick={() => void startJob('samples:suggest', { pool: 32 })}
      />
      {searching && (
        <ProgressBar
          intent="primary"
          value={
            (suggest.progress as CountProgress | null)?.total
              ? (suggest.progress as CountProgress).done / (suggest.progress as CountProgress).total
              : undefined
          }
          aria-label="Searching for the next sample"
        />
      )}
      <H6 className="panel-heading">IoU per class {cv?.state === 'running' && <Spinner size={12} />}</H6>
      {cvResult ? (
        <HTMLTable compact className="iou-table" aria-label="Cross-validated IoU per class">
          <tbody>
            {shown.map((c) => {
              const v = cvResult.perClass[c.index] as number;
              return (
                <tr key={c.index}>
                  <td>
                    <span className="swatch-dot" style={{ background: c.color }} />
                    {c.name}
                  </td>
                  <td className="iou-bar-cell">
                    <span className={`iou-bar${v < 0.25 ? ' low' : ''}`} style={{ width: `${Math.round(v * 100)}%` }} />
                  </td>
                  <td className="num">{Math.round(v * 100)}%</td>
                </tr>
              );
            })}
          </tbody>
        </HTMLTable>
      ) : (
        <Callout compact className="muted">
          After each save, a quick cross-validation over the annotated samples shows here which classes need more
          examples.
        </Callout>
      )}
      {cvResult && (
        <p className="muted caption">
          Quick check over {cvResult.annotated} annotated samples; mIoU{' '}
          {cvResult.miou === null ? 'n/a' : `${Math.round(cvResult.miou * 100)}%`}.
        </p>
      )}
    </aside>
  );
}
