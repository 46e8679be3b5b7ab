/**
 * The feature wand's one-line hint over the canvas while the wand is the tool: the click count and the
 * keys, what it is waiting for (a sample's first click runs the generator, which takes a moment), or why
 * it could not answer.
 */
import { Callout, Spinner } from '@blueprintjs/core';
import { useCallback, useSyncExternalStore } from 'react';
import type { Editor } from '../model/editor';
import { wandHintText } from '../model/wand-state';

export function WandHint({ editor }: { editor: Editor }) {
  const subscribe = useCallback(
    (notify: () => void) => {
      const sub = editor.wand.onDidChange(notify);
      return () => sub.dispose();
    },
    [editor],
  );
  const preview = useSyncExternalStore(subscribe, () => editor.wand.preview);
  const busy = preview?.pending != null;
  return (
    <Callout
      className="dgs-wand-hint"
      role="status"
      aria-live="polite"
      compact
      intent={preview?.error ? 'warning' : 'none'}
      icon={busy ? <Spinner size={14} /> : null}
    >
      {wandHintText(preview)}
    </Callout>
  );
}
