import { useEffect, useState } from 'react';
import { call, messageOf } from '../../api/client';

export interface ModelCheck {
  state: 'none' | 'checking' | 'ok' | 'bad';
  /** What the model is (ok), or the sentence that says why it cannot be used (bad). */
  message: string | null;
}

const SETTLE_MS = 500;

/**
 * The New project wizard's model, checked as soon as it is chosen (a moment after typing stops): a
 * bundle folder by compute, a checkpoint by its file. A bad one is said on the Model step, not at Create.
 */
export function useModelCheck(kind: 'demo' | 'bundle' | 'checkpoint', modelPath: string): ModelCheck {
  const [check, setCheck] = useState<ModelCheck>({ state: 'none', message: null });
  useEffect(() => {
    const chosen = modelPath.trim();
    if (kind === 'demo' || !chosen) return setCheck({ state: 'none', message: null });
    let live = true;
    setCheck({ state: 'checking', message: 'Checking the model…' });
    const timer = setTimeout(() => {
      call('model:check', { kind, path: chosen }).then(
        (r) => live && setCheck({ state: 'ok', message: r.description }),
        (e: unknown) => live && setCheck({ state: 'bad', message: messageOf(e) }),
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [kind, modelPath]);
  return check;
}
