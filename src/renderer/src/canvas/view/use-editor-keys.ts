/**
 * Keyboard shortcuts of a mounted editor: each keydown becomes a chord, looked up in the action
 * registry (built-in actions first, then one per class). Space is held for panning. Keys typed into
 * form fields or dialogs, and Enter or Space on a focused button or tab, are left alone, and unbound
 * keys (← / → for the studio's sample navigation, ? for the shortcut sheet) pass through.
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

/** Controls that act on Enter or Space themselves (a button, a tab, a slider's handle…). */
const CONTROL =
  'button, a[href], summary, [role="button"], [role="tab"], [role="slider"], [role="checkbox"], [role="menuitem"]';

/**
 * Keys the editor must leave alone: typing into a field, anything inside a dialog (the shortcut sheet,
 * a form), a key a control already took (defaultPrevented), and Enter or Space on a focused control,
 * which press that control rather than close a polygon or pan.
 */
function notForTheEditor(e: KeyboardEvent, chord: string): boolean {
  const el = e.target instanceof Element ? e.target : null;
  if (e.defaultPrevented || typingInto(el) || el?.closest('[role="dialog"]')) return true;
  return (chord === 'enter' || chord === 'space') && !!el?.closest(CONTROL);
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
        const chord = chordOf(e);
        if (notForTheEditor(e, chord)) return;
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
