import { Button, Callout } from '@blueprintjs/core';
import { Cross, WarningSign } from '@blueprintjs/icons';
import { store, useStudio } from '../state/store';

/** The last thing that went wrong, as the sentence the engine wrote; dismissed by the user. */
export function ErrorBanner() {
  const error = useStudio((s) => s.error);
  if (!error) return null;
  return (
    <Callout className="error-banner" intent="danger" icon={<WarningSign />} role="alert">
      <span>{error}</span>
      <Button variant="minimal" size="small" icon={<Cross />} aria-label="Dismiss" onClick={() => store.set({ error: null })} />
    </Callout>
  );
}
