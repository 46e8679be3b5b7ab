/**
 * Keyboard shortcuts of a mounted editor: each keydown becomes a chord, looked up in the action
 * registry (built-in actions first, then one per class). Space is held for panning. Keys typed into
 * form fields are left alone, and unbound keys (← / → for the studio's sample navigation) pass through.
 */
import { useEffect, useMemo } from 'react';
import type { ActionContext } from '../actions/registry';
import { BUILT_IN_ACTIONS, classActions, isActionEnabled, keymap } from '../actions/registry';
import { chordOf } from '../actions/keys';
import type { Editor } from '../model/editor';
import type { EditorClass } from '../model/settings';
import type { FabricStage } from './fabric-stage';

function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function useEditorKeys(
  editor: Editor | null,
  stage: FabricStage | null,
  classes: readonly EditorClass[],
  context: () => ActionContext | null,
): void {
  const map = useMemo(() => keymap([...BUILT_IN_ACTIONS, ...classActions(classes)]), [classes]);
  useEffect(() => {
    if (!editor || !stage) return;
    const abort = new AbortController();
    window.addEventListener(
      'keydown',
      (e) => {
        if (typingInto(e.target)) return;
        const chord = chordOf(e);
        if (chord === 'space') {
          e.preventDefault();
          stage.setSpaceHeld(true);
          return;
        }
        const action = map.byChord.get(chord);
        const ctx = context();
        if (!action || !ctx || action.hold) return;
        e.preventDefault();
        if (isActionEnabled(action, ctx)) action.run(ctx);
      },
      { signal: abort.signal },
    );
    window.addEventListener('keyup', (e) => e.key === ' ' && stage.setSpaceHeld(false), { signal: abort.signal });
    window.addEventListener('blur', () => stage.setSpaceHeld(false), { signal: abort.signal });
    return () => abort.abort();
  }, [editor, stage, map, context]);
}
