/**
 * React's view of the editor: settings and undo/redo availability, as one snapshot that changes only
 * when one of them does (the editor also fires on every pointer move for its guides, which must not
 * re-render the toolbar).
 */
import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { Editor } from '../model/editor';
import type { EditorSettings } from '../model/settings';

export interface EditorView {
  settings: EditorSettings;
  canUndo: boolean;
  canRedo: boolean;
}

const IDLE: EditorView = { settings: null as unknown as EditorSettings, canUndo: false, canRedo: false };

export function useEditorView(editor: Editor | null): EditorView | null {
  const last = useRef<EditorView>(IDLE);
  const subscribe = useCallback(
    (notify: () => void) => {
      if (!editor) return () => {};
      const sub = editor.onDidChangeState(notify);
      return () => sub.dispose();
    },
    [editor],
  );
  const read = useCallback((): EditorView => {
    if (!editor) return IDLE;
    const next = { settings: editor.settings, canUndo: editor.canUndo, canRedo: editor.canRedo };
    const prev = last.current;
    if (prev.settings === next.settings && prev.canUndo === next.canUndo && prev.canRedo === next.canRedo) return prev;
    last.current = next;
    return next;
  }, [editor]);
  const view = useSyncExternalStore(subscribe, read);
  return view === IDLE ? null : view;
}
