import {
  Button,
  Callout,
  ControlGroup,
  DialogBody,
  DialogStep,
  FormGroup,
  HTMLSelect,
  InputGroup,
  MultistepDialog,
  ProgressBar,
  Radio,
  RadioGroup,
  Slider,
  Spinner,
} from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import type { ClassInput, ModelChoice } from '../../../../shared/api';
import { PRESETS, presetClasses } from '../../../../shared/presets';
import { call } from '../../api/client';
import { attempt, startJob } from '../../state/actions';
import { store, useStudio } from '../../state/store';
import { ClassTable } from './ClassTable';
import { useModelCheck } from './use-model-check';
import { classListProblems } from '../../../../shared/class-list';

type ModelKind = ModelChoice['kind'];
const PRESET_LABELS: Record<string, string> = {
  demo: 'Demo faces (10 parts)',
  face34: 'Face-34 (DatasetGAN)',
  car20: 'Car-20 (DatasetGAN)',
  cat16: 'Cat-16 (DatasetGAN)',
  custom: 'Custom',
};

/** New project: model (demo, bundle folder, or a checkpoint converted here), classes, ψ, name and file. */
export function NewProjectDialog() {
  const open = useStudio((s) => s.dialog === 'new-project');
  const info = useStudio((s) => s.info);
  const job = useStudio((s) => (s.jobs.create?.state === 'running' ? s.jobs.create : null));
  const [kind, setKind] = useState<ModelKind>('demo');
  const [modelPath, setModelPath] = useState('');
  const [preset, setPreset] = useState('demo');
  const [classes, setClasses] = useState<ClassInput[]>([]);
  const [psi, setPsi] = useState(0.7);
  const [name, setName] = useState('My project');
  const [file, setFile] = useState<string | null>(null);
  const check = useModelCheck(kind, modelPath);

  useEffect(() => {
    if (!open) return;
    void attempt(async () => setFile(await call('project:choose-new-file', {})));
  }, [open]);
  useEffect(() => {
    if (preset === 'custom') return;
    const specs = preset === 'demo' ? (info?.demoClasses ?? []) : (presetClasses(preset) ?? []);
    setClasses(specs.map((c) => ({ name: c.name, color: c.color, hotkey: c.hotkey })));
  }, [preset, info]);
  useEffect(() => {
    if (kind === 'demo') {
      setPreset('demo');
      setName('Demo: cartoon faces');
    }
  }, [kind]);

  const canPick = info?.canChooseFiles === true;
  const pickModel = async () => {
    const chosen =
      kind === 'bundle'
        ? await call('dialog:choose-folder', { purpose: 'bundle' })
        : await call('dialog:choose-file', { purpose: 'checkpoint' });
    if (chosen) setModelPath(chosen);
  };
  const pickFile = async () => {
    const chosen = await call('project:choose-new-file', {});
    if (chosen) setFile(chosen);
  };
  const model: ModelChoice = kind === 'demo' ? { kind } : { kind, path: modelPath.trim() };
  const modelReady = kind === 'demo' || check.state === 'ok';
  const problems = classListProblems(classes);
  const classesReady = classes.length >= 2 && problems.length === 0;
  const create = () => {
    if (!file) return;
    void startJob('project:create', { file, name: name.trim() || 'Untitled project', model, classes, psi });
  };

  return (
    <MultistepDialog
      isOpen={open}
      title="New project"
      navigationPosition="left"
      onClose={() => store.set({ dialog: null })}
      finalButtonProps={{
        text: 'Create project',
        intent: 'primary',
        disabled: !file || !modelReady || !classesReady || job !== null,
        onClick: create,
      }}
    >
      <DialogStep
        id="model"
        title="Model"
        nextButtonProps={{ disabled: !modelReady }}
        panel={
          <DialogBody>
            <RadioGroup
              label="Generator"
              selectedValue={kind}
              onChange={(e) => setKind(e.currentTarget.value as ModelKind)}
            >
              <Radio value="demo" label="The built-in demo model (cartoon faces, 64², ready to try)" />
              <Radio value="bundle" label="A model bundle folder (manifest.json, mapping.onnx, synthesis.onnx)" />
              <Radio
                value="checkpoint"
                label="A StyleGAN checkpoint (.pkl / .pt), converted here (needs Python with PyTorch)"
              />
            </RadioGroup>
            {kind !== 'demo' && (
              <FormGroup
                label={kind === 'bundle' ? 'Bundle folder' : 'Checkpoint file'}
                labelFor="model-path"
                intent={check.state === 'bad' ? 'danger' : check.state === 'ok' ? 'success' : 'none'}
                helperText={
                  <span role={check.state === 'bad' ? 'alert' : undefined}>
                    {check.message ?? (canPick ? undefined : 'A path on the machine running the studio.')}
                  </span>
                }
              >
                <ControlGroup fill>
                  <InputGroup
                    id="model-path"
                    intent={check.state === 'bad' ? 'danger' : 'none'}
                    rightElement={check.state === 'checking' ? <Spinner size={16} /> : undefined}
                    value={modelPath}
                    onValueChange={setModelPath}
                    placeholder={kind === 'bundle' ? '/models/cars.dgsmodel' : '/models/ffhq.pkl'}
                  />
                  {canPick && <Button text="Choose…" onClick={() => void attempt(pickModel)} />}
                </ControlGroup>
              </FormGroup>
            )}
          </DialogBody>
        }
      />
      <DialogStep
        id="classes"
        title="Classes"
        nextButtonProps={{ disabled: !classesReady }}
        panel={
          <DialogBody>
            <FormGroup label="Preset" labelFor="preset" inline>
              <HTMLSelect
                id="preset"
                value={preset}
                onChange={(e) => {
                  const chosen = e.currentTarget.value;
                  setPreset(chosen);
                  // Custom starts from nothing but the background, which every label map has.
                  if (chosen === 'custom') setClasses([{ name: 'background', color: '#000000', hotkey: null }]);
                }}
                options={['demo', ...Object.keys(PRESETS), 'custom'].map((v) => ({
                  value: v,
                  label: PRESET_LABELS[v] ?? v,
                }))}
              />
            </FormGroup>
            <ClassTable
              classes={classes}
              problems={problems}
              onChange={(c) => {
                setPreset('custom');
                setClasses(c);
              }}
            />
            {classes.length < 2 && (
              <Callout intent="warning" compact>
                Name at least two classes: class 0 is the background, then the parts to label.
              </Callout>
            )}
          </DialogBody>
        }
      />
      <DialogStep
        id="settings"
        title="Project"
        panel={
          <DialogBody>
            <FormGroup label="Name" labelFor="project-name">
              <InputGroup id="project-name" value={name} onValueChange={setName} />
            </FormGroup>
            <FormGroup
              label={`Truncation ψ = ${psi.toFixed(2)}`}
              helperText="Lower ψ: more typical images; 1: the full variety. DatasetGAN samples at 0.7."
            >
              <Slider
                min={0.3}
                max={1}
                stepSize={0.05}
                labelStepSize={0.1}
                value={psi}
                onChange={setPsi}
                labelRenderer={(v) => v.toFixed(1)}
                handleHtmlProps={{ 'aria-label': 'Truncation ψ' }}
              />
            </FormGroup>
            <FormGroup label="Project file" labelFor="project-file">
              <ControlGroup fill>
                <InputGroup
                  id="project-file"
                  value={file ?? ''}
                  readOnly
                  placeholder={canPick ? 'Choose where to save it' : 'This studio serves an existing project'}
                />
                {canPick && <Button text="Choose…" onClick={() => void attempt(pickFile)} />}
              </ControlGroup>
            </FormGroup>
            {job && (
              <div className="job-progress" aria-live="polite">
                <ProgressBar intent="primary" />
                <span className="muted">{(job.progress as { phase?: string } | null)?.phase ?? 'Creating…'}</span>
              </div>
            )}
          </DialogBody>
        }
      />
    </MultistepDialog>
  );
}
