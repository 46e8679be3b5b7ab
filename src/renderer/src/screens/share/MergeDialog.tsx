import { Button, Dialog, DialogBody, DialogFooter } from '@blueprintjs/core';
import { useState } from 'react';
import { plural } from '../../../../shared/plural';
import { call } from '../../api/client';
import { attempt, refreshProject, setScreen } from '../../state/actions';
import { noticePatch, store, useStudio } from '../../state/store';
import { PathField } from './PathField';

/** File → Merge…: bring another labeler's copy of this project into it; conflicts are kept, never dropped. */
export function MergeDialog() {
  const open = useStudio((s) => s.dialog === 'merge');
  const [theirs, setTheirs] = useState('');
  const [busy, setBusy] = useState(false);
  const merge = () =>
    void attempt(async () => {
      setBusy(true);
      try {
        const r = await call('project:merge', { theirs: theirs.trim() });
        store.set({
          dialog: null,
          ...noticePatch(
            `Merged: ${plural(r.fromTheirs, 'annotation')} and ${plural(r.addedSamples, 'sample')} came from the copy; ${plural(r.conflicts, 'conflict')} to settle. The project as it was before is kept as ${r.backup}.`,
            { untilSettled: r.conflicts > 0 },
          ),
        });
        await refreshProject();
        if (r.conflicts > 0) setScreen('conflicts');
      } finally {
        setBusy(false);
      }
    });
  return (
    <Dialog isOpen={open} title="Merge a copy of this project" onClose={() => store.set({ dialog: null })}>
      <DialogBody>
        <p>
          Annotations changed only in the copy come in; annotations changed in both are kept as conflicts for you to
          settle side by side. The copy is not changed.
        </p>
        <PathField
          id="merge-theirs"
          label="The other labeler's copy (.dgs)"
          value={theirs}
          onChange={setTheirs}
          placeholder="/shared/faces-ada.dgs"
          choose={() => call('dialog:choose-file', { purpose: 'project' })}
        />
      </DialogBody>
      <DialogFooter
        actions={<Button intent="primary" text="Merge" loading={busy} disabled={!theirs.trim()} onClick={merge} />}
      />
    </Dialog>
  );
}
