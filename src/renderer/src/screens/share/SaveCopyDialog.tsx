import { Button, Dialog, DialogBody, DialogFooter } from '@blueprintjs/core';
import { useState } from 'react';
import { call } from '../../api/client';
import { attempt, refreshProject } from '../../state/actions';
import { noticePatch, store, useStudio } from '../../state/store';
import { PathField } from './PathField';

/** Save a copy…: an editable copy of a read-only project, opened in its place (the original is not touched). */
export function SaveCopyDialog() {
  const open = useStudio((s) => s.dialog === 'save-copy');
  const [file, setFile] = useState('');
  const [busy, setBusy] = useState(false);
  const save = () =>
    void attempt(async () => {
      setBusy(true);
      try {
        const project = await call('project:save-copy', { file: file.trim() });
        store.set({
          dialog: null,
          project,
          ...noticePatch(
            `Saved an editable copy as ${project.file} and opened it; the read-only original is as it was.`,
          ),
        });
        await refreshProject();
      } finally {
        setBusy(false);
      }
    });
  return (
    <Dialog isOpen={open} title="Save an editable copy" onClose={() => store.set({ dialog: null })}>
      <DialogBody>
        <p>The copy holds everything in this project; the studio opens it in place of the read-only file.</p>
        <PathField
          id="save-copy-file"
          label="Save the copy as (.dgs)"
          value={file}
          onChange={setFile}
          placeholder="/home/me/faces-copy.dgs"
          choose={() => call('dialog:choose-save-file', { purpose: 'copy' })}
        />
      </DialogBody>
      <DialogFooter
        actions={<Button intent="primary" text="Save and open" loading={busy} disabled={!file.trim()} onClick={save} />}
      />
    </Dialog>
  );
}
