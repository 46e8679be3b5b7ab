import { Button, Dialog, DialogBody, DialogFooter, FormGroup, InputGroup, NumericInput } from '@blueprintjs/core';
import { useState } from 'react';
import { plural } from '../../../../shared/plural';
import { call } from '../../api/client';
import { attempt, refreshProject } from '../../state/actions';
import { noticePatch, store, useStudio } from '../../state/store';
import { PathField } from './PathField';

/** File → Save labeler copy…: a small copy (no interpreters, no runs) with samples assigned to one labeler. */
export function LabelerCopyDialog() {
  const open = useStudio((s) => s.dialog === 'labeler-copy');
  const free = useStudio((s) => s.samples.filter((x) => !x.annotation && !x.assignee).length);
  const [labeler, setLabeler] = useState('');
  const [count, setCount] = useState(8);
  const [file, setFile] = useState('');
  const save = () =>
    void attempt(async () => {
      const r = await call('project:labeler-copy', { file: file.trim(), labeler: labeler.trim(), count });
      store.set({
        dialog: null,
        ...noticePatch(
          `Saved ${r.file} (${(r.bytes / 1e6).toFixed(1)} MB) with ${plural(r.assigned, 'sample')} assigned to ${labeler.trim()}; send it, and merge it back when it returns.`,
        ),
      });
      await refreshProject();
    });
  return (
    <Dialog isOpen={open} title="Save a labeler copy" onClose={() => store.set({ dialog: null })}>
      <DialogBody>
        <p>The copy leaves out interpreter weights and generation runs, so it is small enough to mail.</p>
        <FormGroup label="Labeler" labelFor="copy-labeler">
          <InputGroup id="copy-labeler" value={labeler} onValueChange={setLabeler} placeholder="Ada" />
        </FormGroup>
        <FormGroup
          label={`Samples to assign (${free === 1 ? '1 is' : `${free} are`} unannotated and unassigned)`}
          labelFor="copy-count"
        >
          <NumericInput
            id="copy-count"
            min={1}
            max={Math.max(1, free)}
            value={count}
            onValueChange={(n) => setCount(Number.isFinite(n) ? n : 1)}
          />
        </FormGroup>
        <PathField
          id="copy-file"
          label="Save as (.dgs)"
          value={file}
          onChange={setFile}
          placeholder="/shared/faces-for-ada.dgs"
          choose={() => call('dialog:choose-save-file', { purpose: 'labeler-copy' })}
        />
      </DialogBody>
      <DialogFooter
        actions={
          <Button
            intent="primary"
            text="Save copy"
            disabled={!labeler.trim() || !file.trim() || free === 0}
            onClick={save}
          />
        }
      />
    </Dialog>
  );
}
