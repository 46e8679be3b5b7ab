import {
  Button,
  Callout,
  Card,
  Checkbox,
  ControlGroup,
  FormGroup,
  H5,
  HTMLTable,
  InputGroup,
  NumericInput,
  ProgressBar,
  Slider,
  Tag,
} from '@blueprintjs/core';
import { FolderOpen, Play, Stop, Refresh } from '@blueprintjs/icons';
import { useEffect, useState } from 'react';
import type { ApiResponse } from '../../../../shared/api';
import {
  EXPORT_FORMATS as FORMATS,
  type GenerationProgress,
  type GenerationSummary,
} from '../../../../shared/dataset-types';
import { call } from '../../api/client';
import { attempt, cancelJob, startJob } from '../../state/actions';
import { useReadOnlyTip } from '../../state/read-only';
import { useStudio } from '../../state/store';
import { ContactSheet } from './ContactSheet';

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
  const [count, setCount] = useState(1000);
  const [filter, setFilter] = useState(0.1);
  const [formats, setFormats] = useState<Format[]>(['coco', 'voc', 'yolo']);
  const [outDir, setOutDir] = useState('');
  const [runs, setRuns] = useState<Runs>([]);
  useEffect(() => {
    void attempt(async () => setRuns(await call('runs:list', {})));
  }, [version, job?.state]);
  const running = job?.state === 'running';
  const progress = running ? (job.progress as GenerationProgress | null) : null;
  const summary = job?.state === 'done' ? (job.result as GenerationSummary) : null;
  const toggle = (f: Format) => setFormats(formats.includes(f) ? formats.filter((x) => x !== f) : [...formats, f]);
  const start = (resume: boolean, dir = outDir, n = count) =>
    void startJob('generate:start', { outDir: dir.trim(), count: n, filter, formats, resume });
  const latestRun = runs[0] ?? null;

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
          <FormGroup label="Samples to keep" labelFor="gen-count">
            <NumericInput
              id="gen-count"
              min={1}
              max={100000000}
              value={count}
              onValueChange={(n) => setCount(Number.isFinite(n) ? n : 1)}
            />
          </FormGroup>
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
              disabled={readonly || !hasInterpreter || !outDir.trim() || count < 1}
              title={readonlyTip ?? undefined}
              onClick={() => start(false)}
            />
          )}
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
        {job?.state === 'cancelled' && <Callout compact>Cancelled; Resume continues where it stopped.</Callout>}
        {summary && (
          <Callout intent="success" compact>
            Generated {summary.generated} samples into {summary.outDir}: kept {summary.kept}, filtered{' '}
            {summary.filtered} most uncertain.
          </Callout>
        )}
      </Card>
      {latestRun && <ContactSheet runId={latestRun.id} key={`${latestRun.id}-${latestRun.status}`} />}
      <Card>
        <H5>Runs</H5>
        <HTMLTable compact striped className="full-width">
          <thead>
            <tr>
              <th>started</th>
              <th>folder</th>
              <th>status</th>
              <th>samples</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => {
              const p = r.progress as { done?: number; total?: number } | null;
              const resumable =
                (r.status === 'cancelled' || r.status === 'failed' || r.status === 'running') && !running;
              return (
                <tr key={r.id}>
                  <td>{new Date(r.createdAt).toLocaleString()}</td>
                  <td className="path">{r.outDir}</td>
                  <td>
                    <Tag minimal intent={r.status === 'done' ? 'success' : r.status === 'failed' ? 'danger' : 'none'}>
                      {r.status}
                    </Tag>
                  </td>
                  <td>{p?.done !== undefined ? `${p.done}/${p.total}` : ''}</td>
                  <td>
                    {resumable && r.count !== null && (
                      <Button
                        size="small"
                        icon={<Refresh />}
                        text="Resume"
                        onClick={() => start(true, r.outDir, r.count!)}
                      />
                    )}
                    {info?.canChooseFiles && r.status === 'done' && (
                      <Button
                        size="small"
                        variant="minimal"
                        icon={<FolderOpen />}
                        text="Open folder"
                        onClick={() => void attempt(() => call('shell:open-folder', { path: r.outDir }))}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
            {runs.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No runs yet.
                </td>
              </tr>
            )}
          </tbody>
        </HTMLTable>
      </Card>
    </div>
  );
}
