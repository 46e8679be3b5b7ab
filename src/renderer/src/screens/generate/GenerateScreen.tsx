import {
  Button,
  Callout,
  Card,
  Checkbox,
  ControlGroup,
  FormGroup,
  H5,
  InputGroup,
  ProgressBar,
  Slider,
} from '@blueprintjs/core';
import { Play, Stop } from '@blueprintjs/icons';
import { useEffect, useState } from 'react';
import type { ApiResponse } from '../../../../shared/api';
import {
  EXPORT_FORMATS as FORMATS,
  type GenerationProgress,
  type GenerationSummary,
} from '../../../../shared/dataset-types';
import { SAMPLES_TO_GENERATE } from '../../../../shared/number-fields';
import { call } from '../../api/client';
import { NumberField, useNumberField } from '../../components/NumberField';
import { attempt, cancelJob, startJob } from '../../state/actions';
import { useReadOnlyTip } from '../../state/read-only';
import { useStudio } from '../../state/store';
import { ContactSheet } from './ContactSheet';
import { ExportGraphButton } from './ExportGraphButton';
import { latestPerFolder, outcome } from './run-state';
import { RunsTable } from './RunsTable';

type Runs = ApiResponse<'runs:list'>;
type Format = (typeof FORMATS)[number];

function eta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '…';
  return s < 60 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Count, filter, formats, output folder → progress with ETA, cancel, resume, contact sheet. */
export function GenerateScreen() {
  const info = useStudio((s) => s.info);
  const job = useStudio((s) => s.jobs.generate);
  const hasInterpreter = useStudio((s) => (s.project?.counts.interpreters ?? 0) > 0);
  const readonly = useStudio((s) => s.project?.readonly ?? true);
  const readonlyTip = useReadOnlyTip();
  const version = useStudio((s) => s.versions.runs);
  const count = useNumberField(SAMPLES_TO_GENERATE, 1000);
  const [filter, setFilter] = useState(0.1);
  const [formats, setFormats] = useState<Format[]>(['coco', 'voc', 'yolo']);
  const [outDir, setOutDir] = useState('');
  const [runs, setRuns] = useState<Runs>([]);
  // A job's first progress means its run is recorded (as running, or resumed): read the list then too.
  const reported = job?.state === 'running' && job.progress !== null;
  useEffect(() => {
    let live = true; // an answer to an older read must not overwrite a newer one
    void attempt(async () => {
      const list = await call('runs:list', {});
      if (live) setRuns(list);
    });
    return () => {
      live = false;
    };
  }, [version, job?.jobId, job?.state, reported]);
  const running = job?.state === 'running';
  const progress = running ? (job.progress as GenerationProgress | null) : null;
  const summary = job?.state === 'done' ? (job.result as GenerationSummary) : null;
  const rows = latestPerFolder(runs);
  const toggle = (f: Format) => setFormats(formats.includes(f) ? formats.filter((x) => x !== f) : [...formats, f]);
  const start = (resume: boolean, dir: string, n: number, settings = { filter, formats }) =>
    void startJob('generate:start', { outDir: dir.trim(), count: n, ...settings, resume });
  // The record the job that just ended wrote: its folder's, else the one touched last.
  const latestRun = rows.find((r) => summary && r.outDir === summary.outDir) ?? rows[0] ?? null;
  const ended = job && job.state !== 'running' ? outcome(job.state, summary, latestRun) : null;

  return (
    <div className="generate-screen">
      <Card>
        <H5>Generate a labeled dataset</H5>
        {!hasInterpreter && (
          <Callout intent="warning" compact>
            Train an interpreter first (Train screen).
          </Callout>
        )}
        <div className="form-grid">
          <NumberField state={count} id="gen-count" />
          <FormGroup
            label={`Drop the most uncertain ${Math.round(filter * 100)} %`}
            helperText="By the ensemble's disagreement (Jensen–Shannon), as DatasetGAN does."
          >
            <Slider
              min={0}
              max={0.5}
              stepSize={0.01}
              labelStepSize={0.1}
              value={filter}
              onChange={setFilter}
              labelRenderer={(v) => `${Math.round(v * 100)}%`}
              handleHtmlProps={{ 'aria-label': 'Share of the most uncertain samples to drop' }}
            />
          </FormGroup>
          <FormGroup label="Formats" helperText="PNG images and label maps are always written.">
            {FORMATS.map((f) => (
              <Checkbox
                key={f}
                inline
                label={f.toUpperCase()}
                checked={formats.includes(f)}
                onChange={() => toggle(f)}
              />
            ))}
          </FormGroup>
          <FormGroup
            label="Output folder"
            labelFor="gen-out"
            helperText={
              info?.canChooseFiles
                ? undefined
                : "A folder on the machine running the studio (a relative one starts in the project's folder); it must be empty or not exist yet."
            }
          >
            <ControlGroup fill>
              <InputGroup id="gen-out" value={outDir} onValueChange={setOutDir} placeholder="/data/my-dataset" />
              {info?.canChooseFiles && (
                <Button
                  text="Choose…"
                  onClick={() =>
                    void attempt(async () => {
                      const d = await call('dialog:choose-folder', { purpose: 'output' });
                      if (d) setOutDir(d);
                    })
                  }
                />
              )}
            </ControlGroup>
          </FormGroup>
        </div>
        <div className="row">
          {running ? (
            <Button
              intent="danger"
              icon={<Stop />}
              text="Cancel generation"
              onClick={() => void cancelJob('generate')}
            />
          ) : (
            <Button
              intent="primary"
              size="large"
              icon={<Play />}
              text="Generate"
              disabled={readonly || !hasInterpreter || !outDir.trim() || count.value === null}
              title={readonlyTip ?? undefined}
              onClick={() => count.value !== null && start(false, outDir, count.value)}
            />
          )}
          <ExportGraphButton disabled={!hasInterpreter} />
        </div>
        {running && (
          <div className="job-progress" aria-live="polite">
            <ProgressBar
              intent="primary"
              value={progress && progress.total ? progress.done / progress.total : undefined}
              aria-label="Generation progress"
            />
            <span className="muted">
              {progress
                ? `${progress.done} of ${progress.total} · ${progress.rate.toFixed(1)} samples/s · ETA ${eta(progress.etaSeconds)} · ${progress.phase}`
                : 'Starting…'}
            </span>
          </div>
        )}
        {ended && (
          <Callout intent={ended.intent} title={ended.title} compact role="status">
            {ended.text}
          </Callout>
        )}
      </Card>
      {latestRun && <ContactSheet runId={latestRun.id} key={`${latestRun.id}-${latestRun.status}`} />}
      <RunsTable
        runs={rows}
        live={running}
        onResume={(r) => start(true, r.outDir, r.count!, { filter: r.filter ?? filter, formats: r.formats ?? formats })}
        onOpenFolder={
          info?.canChooseFiles ? (dir) => void attempt(() => call('shell:open-folder', { path: dir })) : undefined
        }
      />
    </div>
  );
}
