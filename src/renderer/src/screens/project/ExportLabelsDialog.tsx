import { Button, Checkbox, Dialog, DialogBody, DialogFooter } from '@blueprintjs/core';
import { useState } from 'react';
import { plural } from '../../../../shared/plural';
import { call } from '../../api/client';
import { attempt } from '../../state/actions';
import { noticePatch, store, useStudio } from '../../state/store';
import { PathField } from '../share/PathField';

/**
 * Gallery → Export labels…: every annotated sample's label map as a greyscale PNG (pixel = class id),
 * named by seed as the studio shows samples (`labels/seed-0.png`), optionally with the images beside them
 * (`images/seed-0.png`); the folder imports straight back, here or with `dgs label import`.
 */
export function ExportLabelsDialog() {
  const open = useStudio((s) => s.dialog === 'export-labels');
  const [dir, setDir] = useState('');
  const [images, setImages] = useState(true);
  const [busy, setBusy] = useState(false);
  const run = () =>
    void attempt(async () => {
      setBusy(true);
      try {
        const r = await call('labels:export', { outDir: dir.trim(), images });
        store.set({
          dialog: null,
          ...noticePatch(
            `Exported ${plural(r.labels, 'label map')}${r.images ? ` and ${plural(r.images, 'image')}` : ''} to ${r.outDir}, named by seed (labels/seed-<seed>.png).`,
          ),
        });
      } finally {
        setBusy(false);
      }
    });
  return (
    <Dialog isOpen={open} title="Export labels" onClose={() => store.set({ dialog: null })}>
      <DialogBody>
        <p>
          Each annotated sample&apos;s label map is written as a PNG whose pixel values are class ids, named by its seed
          (labels/seed-0.png). Files already there with the same names are replaced.
        </p>
        <PathField
          id="export-dir"
          label="Folder"
          value={dir}
          onChange={setDir}
          placeholder="labels-export"
          choose={() => call('dialog:choose-folder', { purpose: 'export' })}
        />
        <Checkbox checked={images} onChange={() => setImages(!images)} label="Also the images (images/seed-0.png)" />
      </DialogBody>
      <DialogFooter
        actions={<Button intent="primary" text="Export" loading={busy} disabled={!dir.trim()} onClick={run} />}
      />
    </Dialog>
  );
}
