import { Button, Callout } from '@blueprintjs/core';
import { Duplicate } from '@blueprintjs/icons';
import { store, useStudio } from '../../state/store';

/**
 * A read-only project, said once: why (the engine's sentence), and the way to edit — Save a copy…,
 * which writes an editable copy and opens it. Every control that would change the project is disabled
 * with the same reason in its tooltip (state/read-only.ts).
 */
export function ReadOnlyBanner() {
  const reason = useStudio((s) => (s.project?.readonly ? s.project.readonlyReason : null));
  const readonly = useStudio((s) => s.project?.readonly ?? false);
  if (!readonly) return null;
  return (
    <Callout intent="warning" compact role="status" className="banner-row" aria-label="Read-only project">
      <span>{reason ?? 'Another program holds this file, so the project was opened read-only.'}</span>
      <Button
        size="small"
        intent="primary"
        icon={<Duplicate />}
        text="Save a copy…"
        onClick={() => store.set({ dialog: 'save-copy' })}
      />
    </Callout>
  );
}
