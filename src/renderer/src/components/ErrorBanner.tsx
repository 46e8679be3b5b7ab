import { Button, Callout } from '@blueprintjs/core';
import { Cross, InfoSign, WarningSign } from '@blueprintjs/icons';
import { store, useStudio } from '../state/store';

/** The last thing that went wrong, as the sentence the engine wrote; dismissed by the user. */
export function ErrorBanner() {
  const error = useStudio((s) => s.error);
  if (!error) return null;
  return (
    <Callout className="error-banner" intent="danger" icon={<WarningSign />} role="alert">
      <span>{error}</span>
      <Button
        variant="minimal"
        size="small"
        icon={<Cross />}
        aria-label="Dismiss"
        onClick={() => store.set({ error: null })}
      />
    </Callout>
  );
}

/** A success or piece of news the user should read once (a merge's result, where a copy went). */
export function NoticeBanner() {
  const notice = useStudio((s) => s.notice);
  if (!notice) return null;
  return (
    <Callout className="error-banner" intent="success" icon={<InfoSign />} role="status">
      <span>{notice}</span>
      <Button
        variant="minimal"
        size="small"
        icon={<Cross />}
        aria-label="Dismiss notice"
        onClick={() => store.set({ notice: null })}
      />
    </Callout>
  );
}
