import { Callout, Card, H5, Tag } from '@blueprintjs/core';
import type { ApiResponse, StudioClass } from '../../../../shared/api';
import { IouBars } from './IouBars';

type Interpreter = ApiResponse<'interpreters:list'>[number];

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);

/**
 * The latest interpreter: "ready to use" as soon as its ensemble is stored (pre-label, suggest and
 * generate work from then on), then its cross-validated IoU per class when the report arrives.
 */
export function InterpreterReport({ latest, classes }: { latest: Interpreter | null; classes: StudioClass[] }) {
  if (!latest) return null;
  if (latest.report !== 'done') {
    const follows =
      latest.report === 'pending'
        ? 'Its cross-validated report per class follows: the folds are training now.'
        : latest.report === 'stopped'
          ? 'Its cross-validated report was not finished (the run was cancelled or stopped); train again for one.'
          : 'It has no cross-validated report (too few annotated samples, or cross-validation was turned off).';
    // A newer interpreter waits for its report before it replaces one with a better mIoU (docs/interpreter.md).
    return (
      <Card className="chart-card">
        {latest.inUse ? (
          <Callout intent="success" title="Ready to use" aria-live="polite">
            The interpreter is stored: pre-label, the next uncertain sample and generation use it now. {follows}
          </Callout>
        ) : (
          <Callout intent="primary" title="Stored" aria-live="polite">
            The interpreter is stored. {latest.note} {follows}
          </Callout>
        )}
      </Card>
    );
  }
  return (
    <Card className="chart-card">
      <H5>
        Cross-validated IoU per class <Tag minimal>mIoU {pct(latest.miou)}</Tag>{' '}
        {/* The report is the newest interpreter's; say so when another one labels for the project. */}
        {!latest.inUse && (
          <Tag minimal intent="warning">
            the newest interpreter, not the one in use
          </Tag>
        )}
      </H5>
      <p className="muted">
        The annotations are split into folds; each fold is labeled by members trained the same way on the others, so
        this estimates how the ensemble labels new images. Classes with low IoU need more examples.
      </p>
      <IouBars perClass={latest.perClass} classes={classes} />
    </Card>
  );
}
