import { Button, Dialog, DialogBody, DialogFooter, FormGroup, InputGroup } from '@blueprintjs/core';
import { useState } from 'react';
import { setAuthor } from '../state/actions';
import { store, useStudio } from '../state/store';

/** Asked once: the name recorded with every annotation this person saves (shared projects show who did what). */
export function AuthorDialog() {
  const open = useStudio((s) => s.dialog === 'author');
  const current = useStudio((s) => s.author);
  const [name, setName] = useState(current ?? '');
  const ok = name.trim().length > 0;
  return (
    <Dialog
      isOpen={open}
      title="Your name"
      isCloseButtonShown={current !== null}
      onClose={() => store.set({ dialog: null })}
    >
      <DialogBody>
        <p>
          Annotations record who made them, so labelers sharing a project can see each other&apos;s work and merge it.
        </p>
        <FormGroup label="Name" labelFor="author-name">
          <InputGroup
            id="author-name"
            autoFocus
            value={name}
            onValueChange={setName}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && ok) setAuthor(name.trim());
            }}
          />
        </FormGroup>
      </DialogBody>
      <DialogFooter
        actions={<Button intent="primary" text="Save" disabled={!ok} onClick={() => setAuthor(name.trim())} />}
      />
    </Dialog>
  );
}
