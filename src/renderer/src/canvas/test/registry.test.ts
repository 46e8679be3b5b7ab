import { describe, expect, it } from 'vitest';
import { chordLabel, chordOf } from '../actions/keys';
import {
  BUILT_IN_ACTIONS,
  blockedReason,
  classActions,
  isActionEnabled,
  keymap,
  STUDIO_KEYS,
  toolActionId,
} from '../actions/registry';
import { Editor } from '../model/editor';
import type { EditorClass } from '../model/settings';
import { TOOLS } from '../tools';

const tenClasses: EditorClass[] = Array.from({ length: 10 }, (_, i) => ({ index: i, name: `c${i}`, color: '#000000' }));

describe('action registry', () => {
  it('binds no key twice among the built-in actions and the default class keys', () => {
    expect(keymap(BUILT_IN_ACTIONS).conflicts).toEqual([]);
    expect(keymap([...BUILT_IN_ACTIONS, ...classActions(tenClasses)]).conflicts).toEqual([]);
  });

  it('makes each tool of the list an action with its key, and a state the editor can switch to', () => {
    const editor = new Editor();
    const bound = keymap(BUILT_IN_ACTIONS).byChord;
    for (const t of TOOLS) {
      expect(bound.get(t.key)?.id).toBe(toolActionId(t.id));
      editor.setTool(t.id);
      expect(editor.path).toMatch(new RegExp(`^root\\.${t.id}(\\.|$)`));
    }
    editor.dispose();
  });

  it("leaves the studio's keys (sample navigation) free", () => {
    const bound = keymap([...BUILT_IN_ACTIONS, ...classActions(tenClasses)]).byChord;
    for (const k of STUDIO_KEYS) expect(bound.has(k)).toBe(false);
  });

  it('reports a class hotkey that clashes with a tool, and lets the tool keep the key', () => {
    const map = keymap([
      ...BUILT_IN_ACTIONS,
      ...classActions([{ index: 1, name: 'beard', color: '#111111', hotkey: 'B' }]),
    ]);
    expect(map.conflicts).toEqual([{ chord: 'b', actions: ['tool.brush', 'class.select.1'] }]);
    expect(map.byChord.get('b')!.id).toBe('tool.brush');
  });

  it('gives background both 0 and backtick, and classes 1–9 their digit', () => {
    const ids = keymap(classActions(tenClasses)).byChord;
    expect(ids.get('0')!.id).toBe('class.select.0');
    expect(ids.get('`')!.id).toBe('class.select.0');
    expect(ids.get('7')!.id).toBe('class.select.7');
  });

  it('normalizes key events into chords', () => {
    const k = (
      key: string,
      mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {},
    ) => chordOf({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });
    expect(k('Z', { ctrlKey: true, shiftKey: true })).toBe('ctrl+shift+z');
    expect(k('z', { metaKey: true })).toBe('ctrl+z');
    expect(k('{', { shiftKey: true })).toBe('{');
    expect(k(' ')).toBe('space');
    expect(k('Escape')).toBe('escape');
    expect(k('+', { ctrlKey: true, shiftKey: true })).toBe('ctrl++');
    expect(chordLabel('ctrl+shift+z')).toBe('Ctrl+Shift+Z');
    expect(chordLabel('ctrl++')).toBe('Ctrl++');
  });

  it('turns off every action that edits in a read-only project, with the reason, whatever the tools are', () => {
    const editor = new Editor();
    const ctx = { editor, view: null, prediction: new Uint8Array(4), readOnly: 'Read-only: save a copy.' };
    for (const t of TOOLS) {
      const action = BUILT_IN_ACTIONS.find((a) => a.id === toolActionId(t.id))!;
      expect(isActionEnabled(action, ctx), t.id).toBe(!t.edits);
      expect(blockedReason(action, ctx), t.id).toBe(t.edits ? 'Read-only: save a copy.' : null);
    }
    for (const id of ['edit.undo', 'edit.redo', 'edit.prelabel', 'class.lock'])
      expect(
        isActionEnabled(
          BUILT_IN_ACTIONS.find((a) => a.id === id)!,
          ctx,
        ),
        id,
      ).toBe(false);
    expect(
      isActionEnabled(
        BUILT_IN_ACTIONS.find((a) => a.id === 'view.fit')!,
        ctx,
      ),
    ).toBe(true);
    // The model itself keeps off the tools that edit.
    editor.setTool('brush');
    editor.setReadOnly(true);
    expect(TOOLS.find((t) => t.id === editor.settings.tool)!.edits).toBe(false);
    editor.setTool('polygon');
    expect(editor.settings.tool).not.toBe('polygon');
    editor.setReadOnly(false);
    editor.setTool('polygon');
    expect(editor.settings.tool).toBe('polygon');
    editor.dispose();
  });
});
