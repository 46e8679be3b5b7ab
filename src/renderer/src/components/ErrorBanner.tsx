import { Button, Callout, Spinner } from '@blueprintjs/core';
import { Cross, InfoSign, WarningSign } from '@blueprintjs/icons';
import { noticePatch, store, useStudio } from '../state/store';

/** The last thing that went wrong, as the sentence the engine wrote (with what to do about it, when a button does it). */
export function ErrorBanner() {
  const error = useStudio((s) => s.error);
  const action = useStudio((s) => s.errorAction);
  if (!error) return null;
  return (
    <Callout className="error-banner" intent="danger" icon={<WarningSign />} role="alert">
      <span>{error}</span>
      {action && (
        <Button
          size="small"
          intent="primary"
          text={action.label}
          onClick={() => {
            store.set({ error: null, errorAction: null });
            action.run();
          }}
        />
      )}
      <Button
        variant="minimal"
        size="small"
        icon={<Cross />}
        aria-label="Dismiss"
        onClick={() => store.set({ error: null, errorAction: null })}
      />
    </Callout>
  );
}

/** A success or piece of news the user should read once (a merge's result, where a copy went). */
export function NoticeBanner() {
  const notice = useStudio((s) => s.notice);
  const warns = useStudio((s) => s.noticeWarns);
  if (!notice) return null;
  return (
    <Callout
      className="error-banner"
      intent={warns ? 'warning' : 'success'}
      icon={warns ? <WarningSign /> : <InfoSign />}
      role="status"
    >
      <span>{notice}</span>
      <Button
        variant="minimal"
        size="small"
        icon={<Cross />}
        aria-label="Dismiss notice"
        onClick={() => store.set(noticePatch(null))}
      />
    </Callout>
  );
}

/** The browser lost `dgs serve`: said once, while the page waits for it to come back. */
export function ConnectionBanner() {
  const lost = useStudio((s) => s.connection === 'lost');
  if (!lost) return null;
  return (
    <Callout className="error-banner" intent="warning" icon={<Spinner size={16} />} role="status">
      <span>
        The studio server does not answer (stopped or restarting); reconnecting… Your unsaved changes stay here and are
        saved when it is back.
      </span>
    </Callout>
  );
}
