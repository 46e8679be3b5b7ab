import {
  Button,
  Callout,
  Checkbox,
  Code,
  Dialog,
  DialogBody,
  DialogFooter,
  FormGroup,
  HTMLSelect,
} from '@blueprintjs/core';
import { Export } from '@blueprintjs/icons';
import { useState } from 'react';
import type { ApiResponse } from '../../../../shared/api';
import { call, messageOf } from '../../api/client';
import { useStudio } from '../../state/store';
import { PathField } from '../share/PathField';

type Exported = ApiResponse<'graph:export'>;

/**
 * "Export labeled graph…": the generator and the newest interpreter as one ONNX model that a training
 * loop runs to draw fresh labeled samples (docs/export-graph.md), the same file `dgs export-graph` writes.
 */
export function ExportGraphButton({ disabled }: { disabled: boolean }) {
  const resolution = useStudio((s) => s.project?.model?.resolution ?? null);
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState('');
  const [size, setSize] = useState<number | null>(null);
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Exported | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sizes = resolution ? [1, 2, 4, 8].map((d) => resolution / d).filter((r) => Number.isInteger(r) && r >= 16) : [];
  // The answer, or the sentence of a refusal, is shown in the dialog, where the user is looking.
  const run = () =>
    void (async () => {
      setBusy(true);
      setDone(null);
      setError(null);
      try {
        setDone(await call('graph:export', { file: file.trim(), overwrite, resolution: size ?? undefined }));
      } catch (e) {
        setError(messageOf(e));
      } finally {
        setBusy(false);
      }
    })();
  return (
    <>
      <Button
        icon={<Export />}
        text="Export labeled graph…"
        disabled={disabled}
        onClick={() => {
          // A reopened dialog starts without the last export's answer: it was about that export.
          setDone(null);
          setError(null);
          setOpen(true);
        }}
      />
      <Dialog isOpen={open} title="Export labeled graph" onClose={() => !busy && setOpen(false)}>
        <DialogBody>
          <p>
            One ONNX model of the generator and the newest interpreter: <Code>z</Code> and <Code>psi</Code> in;{' '}
            <Code>image</Code>, <Code>label</Code>, <Code>uncertainty</Code> and <Code>score</Code> out. A training loop
            draws fresh labeled samples from it (see docs/export-graph.md).
          </p>
          <PathField
            id="graph-file"
            label="Save as (.onnx)"
            value={file}
            onChange={setFile}
            placeholder="/data/labeled.onnx"
            choose={() => call('dialog:choose-save-file', { purpose: 'labeled-graph' })}
          />
          <FormGroup label="Image and label size" labelFor="graph-size">
            <HTMLSelect
              id="graph-size"
              value={size ?? resolution ?? ''}
              onChange={(e) =>
                setSize(Number(e.currentTarget.value) === resolution ? null : Number(e.currentTarget.value))
              }
              options={sizes.map((r) => ({
                value: r,
                label: r === resolution ? `${r}² (the model's)` : `${r}² (averaged down)`,
              }))}
            />
          </FormGroup>
          <Checkbox
            label="Replace the file if it exists"
            checked={overwrite}
            onChange={() => setOverwrite(!overwrite)}
          />
          {error && (
            <Callout intent="danger" compact role="alert">
              {error}
            </Callout>
          )}
          {done && (
            <Callout intent="success" compact>
              Wrote {done.file} ({(done.bytes / 1e6).toFixed(1)} MB): {done.resolution}² images and labels,{' '}
              {done.classes} classes.
            </Callout>
          )}
        </DialogBody>
        <DialogFooter
          actions={
            <>
              <Button text="Done" disabled={busy} onClick={() => setOpen(false)} />
              <Button intent="primary" text="Export" loading={busy} disabled={!file.trim()} onClick={run} />
            </>
          }
        />
      </Dialog>
    </>
  );
}
