import { Button, Callout, Card, Checkbox, H5, ProgressBar } from '@blueprintjs/core';
import { Play, Stop } from '@blueprintjs/icons';
import { useEffect, useState } from 'react';
import type { ApiResponse, JobResultOf } from '../../../../shared/api';
import { cvFoldsText, type InterpreterProgress } from '../../../../shared/interpreter-types';
import { ENSEMBLE_MEMBERS } from '../../../../shared/number-fields';
import { call } from '../../api/client';
import { NumberField, useNumberField } from '../../components/NumberField';
import { attempt, cancelJob, startJob } from '../../state/actions';
import { useReadOnlyTip } from '../../state/read-only';
import { useStudio } from '../../state/store';
import { InterpreterReport } from './InterpreterReport';
import { InterpreterTable } from './InterpreterTable';
import { LossPlot } from './LossPlot';

type Interpreters = ApiResponse<'interpreters:list'>;

function stageText(p: InterpreterProgress): string {
  const eta = p.etaSeconds === null ? '' : ` · about ${Math.max(1, Math.round(p.etaSeconds))} s left in this stage`;
  if (p.phase === 'load') return `Regenerating the annotated samples’ feature maps: ${p.member} of ${p.members}${eta}`;
  const what =
    p.phase === 'cv'
      ? `Cross-validated report (the ensemble is stored): ${cvFoldsText(p)}`
      : `Final ensemble of ${p.members} MLPs`;
  return `${what} · epoch ${p.epoch + 1} · step ${p.step} · ${p.member} of ${p.members} members still training${typeof p.loss === 'number' && Number.isFinite(p.loss) ? ` · loss ${p.loss.toFixed(4)}` : ''}${eta}`;
}

/** The training's stages in order: the bar moves within each (InterpreterProgress.fraction). */
const STAGES: InterpreterProgress['phase'][] = ['load', 'ensemble', 'cv'];

/** Train the interpreter: progress per member, a live loss plot, cancel; then IoU per class and earlier interpreters. */
export function TrainScreen() {
  const job = useStudio((s) => s.jobs.train);
  const classes = useStudio((s) => s.project?.classes ?? []);
  const annotated = useStudio((s) => s.project?.counts.annotations ?? 0);
  const readonly = useStudio((s) => s.project?.readonly ?? true);
  const readonlyTip = useReadOnlyTip();
  const version = useStudio((s) => s.versions.interpreters);
  const members = useNumberField(ENSEMBLE_MEMBERS, 10);
  const [quick, setQuick] = useState(annotated > 0 && annotated < 30);
  const [list, setList] = useState<Interpreters>([]);
  useEffect(() => {
    void attempt(async () => setList(await call('interpreters:list', {})));
  }, [version]);
  const running = job?.state === 'running';
  const progress = running ? (job.progress as InterpreterProgress | null) : null;
  const latest = list[0] ?? null;
  const stage = progress ? (STAGES.indexOf(progress.phase) + Math.min(1, progress.fraction ?? 0)) / STAGES.length : 0;
  const result = job?.state === 'done' ? (job.result as JobResultOf['train']) : null;

  return (
    <div className="train-screen">
      <Card className="train-controls">
        <H5>Train the style interpreter</H5>
        <p className="muted">
          An ensemble of small per-pixel MLPs reads the generator&apos;s feature maps; {annotated} annotated samples
          (DatasetGAN uses 16–30).
        </p>
        <div className="row">
          <NumberField state={members} id="members" inline width={60} />
          <Checkbox
            checked={quick}
            onChange={() => setQuick(!quick)}
            label="Quick (early stopping from the 2nd epoch; for small projects)"
          />
          {running ? (
            <Button intent="danger" icon={<Stop />} text="Cancel training" onClick={() => void cancelJob('train')} />
          ) : (
            <Button
              intent="primary"
              size="large"
              icon={<Play />}
              text="Train"
              disabled={readonly || annotated < 2 || members.value === null}
              title={readonlyTip ?? undefined}
              onClick={() => members.value !== null && void startJob('train:start', { members: members.value, quick })}
            />
          )}
        </div>
        {annotated < 2 && (
          <Callout intent="warning" compact>
            Annotate at least 2 samples to train.
          </Callout>
        )}
        {running && (
          <div className="job-progress" aria-live="polite">
            <ProgressBar intent="primary" value={progress ? stage : undefined} aria-label="Training progress" />
            {progress?.phase !== 'load' && (
              <ProgressBar
                intent="success"
                value={progress ? 1 - progress.member / progress.members : undefined}
                aria-label="Members finished"
              />
            )}
            <span className="muted">
              {progress ? stageText(progress) : 'Starting: regenerating the annotated samples’ feature maps…'}
            </span>
          </div>
        )}
        {job?.state === 'cancelled' && (
          <Callout compact>Training was cancelled; the project keeps its earlier interpreters.</Callout>
        )}
        {result && (
          <Callout intent="success" compact>
            Trained: cross-validated mIoU {result.miou === null ? 'n/a' : `${(result.miou * 100).toFixed(1)} %`}.
          </Callout>
        )}
      </Card>
      {job && job.loss.length > 0 && (
        <Card className="chart-card">
          <H5>Loss</H5>
          <LossPlot points={job.loss} />
        </Card>
      )}
      <InterpreterReport latest={latest} classes={classes} />
      <Card className="chart-card">
        <H5>Interpreters of this project</H5>
        <p className="muted">
          Generation, pre-label and Next uncertain sample use the interpreter marked in use: the one you pick, or the
          newest unless its cross-validated mIoU is lower than the one in use.
        </p>
        <InterpreterTable list={list} />
      </Card>
    </div>
  );
}
