/**
 * Every command of the editor with its shortcuts (excalidraw's action registry, vscode's keybindings):
 * tools, edits, brush size, polygon mode, view, and one action per class. Shortcuts follow CVAT,
 * LabelMe and Label Studio habits where they agree; `keymap` reports any chord bound twice, and a
 * test keeps the built-in set free of clashes. ← and → are left to the studio (sample navigation).
 */
import type { Editor } from '../model/editor';
import type { EditorClass } from '../model/settings';
import { TOOLS } from '../tools';

/** View commands the canvas component implements (zoom and pan live in the view, not the model). */
export interface ViewCommands {
  fit(): void;
  actualSize(): void;
  zoomBy(factor: number): void;
}

export interface ActionContext {
  editor: Editor;
  view: ViewCommands | null;
  /** The interpreter's prediction for the open sample, when the studio has one. */
  prediction: Uint8Array | null;
  /** Why the sample cannot be changed (a read-only project), or null: every action that `edits` is then off. */
  readOnly: string | null;
}

export interface EditorAction {
  id: string;
  label: string;
  group: 'tool' | 'edit' | 'brush' | 'polygon' | 'view' | 'class';
  /** Chords (see keys.ts). */
  keys: readonly string[];
  /** Held rather than pressed (space pans while held); the view handles it. */
  hold?: boolean;
  /** It changes the annotation or the project (a tool that edits, undo, pre-label, locking): off while read-only. */
  edits?: boolean;
  enabled?(ctx: ActionContext): boolean;
  run(ctx: ActionContext): void;
}

/** Why an action is off now: the read-only reason for one that edits, else null (its own `enabled` aside). */
export function blockedReason(a: EditorAction, ctx: ActionContext): string | null {
  return a.edits && ctx.readOnly !== null ? ctx.readOnly : null;
}

/** Whether an action may run now: not blocked by a read-only project, and enabled by its own test. */
export function isActionEnabled(a: EditorAction, ctx: ActionContext): boolean {
  return blockedReason(a, ctx) === null && (a.enabled ? a.enabled(ctx) : true);
}

/** What the studio around the editor does with keys (the shortcut sheet lists these too). */
export const STUDIO_SHORTCUTS: readonly { label: string; keys: readonly string[] }[] = [
  { label: 'Previous sample', keys: ['arrowleft'] },
  { label: 'Next sample', keys: ['arrowright'] },
  { label: 'Keyboard shortcuts (this sheet)', keys: ['?'] },
];

/** Keys the studio around the editor uses; no editor action may take them. */
export const STUDIO_KEYS: readonly string[] = STUDIO_SHORTCUTS.flatMap((s) => s.keys);

/** The action that picks a tool: `tool.<id>`, with the key its definition gives. */
export const toolActionId = (id: string): string => `tool.${id}`;

const opacityStep = (editor: Editor, delta: number) =>
  editor.setOverlay({
    overlayOpacity: Math.round((editor.settings.overlayOpacity + delta) * 10) / 10,
    overlayVisible: true,
  });

export const BUILT_IN_ACTIONS: readonly EditorAction[] = [
  ...TOOLS.map((t): EditorAction => ({
    id: toolActionId(t.id),
    label: t.label,
    group: 'tool',
    keys: [t.key],
    edits: t.edits,
    run: ({ editor }) => editor.setTool(t.id),
  })),
  {
    id: 'edit.undo',
    edits: true,
    label: 'Undo',
    group: 'edit',
    keys: ['ctrl+z'],
    enabled: ({ editor }) => editor.canUndo,
    run: ({ editor }) => editor.undo(),
  },
  {
    id: 'edit.redo',
    edits: true,
    label: 'Redo',
    group: 'edit',
    keys: ['ctrl+shift+z', 'ctrl+y'],
    enabled: ({ editor }) => editor.canRedo,
    run: ({ editor }) => editor.redo(),
  },
  {
    id: 'edit.complete',
    edits: true,
    label: 'Close polygon / keep the wand selection',
    group: 'edit',
    keys: ['enter'],
    run: ({ editor }) => editor.complete(),
  },
  {
    id: 'edit.cancel',
    label: 'Cancel / deselect',
    group: 'edit',
    keys: ['escape'],
    run: ({ editor }) => editor.cancel(),
  },
  {
    id: 'edit.delete',
    edits: true,
    label: 'Delete last vertex / selected polygon',
    group: 'edit',
    keys: ['backspace', 'delete'],
    run: ({ editor }) => editor.deleteSelection(),
  },
  {
    id: 'edit.prelabel',
    edits: true,
    label: 'Pre-label from the interpreter',
    group: 'edit',
    keys: ['a'],
    enabled: ({ prediction }) => prediction !== null,
    run: ({ editor, prediction }) => prediction && editor.applyPrediction(prediction),
  },
  {
    id: 'brush.smaller',
    label: 'Smaller brush / narrower wand tolerance',
    group: 'brush',
    keys: ['['],
    run: ({ editor }) => editor.stepSize(-1),
  },
  {
    id: 'brush.larger',
    label: 'Larger brush / wider wand tolerance',
    group: 'brush',
    keys: [']'],
    run: ({ editor }) => editor.stepSize(1),
  },
  {
    id: 'polygon.subtract',
    label: 'Polygon subtract mode (cut holes)',
    group: 'polygon',
    keys: ['s'],
    run: ({ editor }) => editor.setOverlay({ polygonMode: editor.settings.polygonMode === 'add' ? 'subtract' : 'add' }),
  },
  { id: 'view.fit', label: 'Fit to window', group: 'view', keys: ['ctrl+0'], run: ({ view }) => view?.fit() },
  {
    id: 'view.actual',
    label: 'Actual pixels (1:1)',
    group: 'view',
    keys: ['ctrl+1'],
    run: ({ view }) => view?.actualSize(),
  },
  {
    id: 'view.zoomIn',
    label: 'Zoom in',
    group: 'view',
    keys: ['ctrl+=', 'ctrl++'],
    run: ({ view }) => view?.zoomBy(1.25),
  },
  { id: 'view.zoomOut', label: 'Zoom out', group: 'view', keys: ['ctrl+-'], run: ({ view }) => view?.zoomBy(0.8) },
  { id: 'view.pan', label: 'Pan (hold and drag)', group: 'view', keys: ['space'], hold: true, run: () => {} },
  {
    id: 'view.overlay',
    label: 'Show/hide labels',
    group: 'view',
    keys: ['t'],
    run: ({ editor }) => editor.setOverlay({ overlayVisible: !editor.settings.overlayVisible }),
  },
  {
    id: 'view.opacityDown',
    label: 'Labels more transparent',
    group: 'view',
    keys: [','],
    run: ({ editor }) => opacityStep(editor, -0.1),
  },
  {
    id: 'view.opacityUp',
    label: 'Labels more opaque',
    group: 'view',
    keys: ['.'],
    run: ({ editor }) => opacityStep(editor, 0.1),
  },
  {
    id: 'view.uncertainty',
    label: 'Show/hide uncertainty',
    group: 'view',
    keys: ['u'],
    run: ({ editor }) => editor.setOverlay({ uncertaintyVisible: !editor.settings.uncertaintyVisible }),
  },
  {
    id: 'class.lock',
    edits: true,
    label: 'Lock/unlock the active class',
    group: 'class',
    keys: ['l'],
    run: ({ editor }) =>
      editor.setLocked(editor.settings.activeClass, !editor.settings.locked.has(editor.settings.activeClass)),
  },
  {
    id: 'class.hide',
    label: 'Hide/show the active class',
    group: 'class',
    keys: ['h'],
    run: ({ editor }) =>
      editor.setHidden(editor.settings.activeClass, !editor.settings.hidden.has(editor.settings.activeClass)),
  },
];

/** The chords that pick a class: its own hotkey, else its index for 1–9; background also takes 0 and `. */
export function classKeys(c: EditorClass): string[] {
  if (c.index === 0) return c.hotkey ? [...new Set([c.hotkey.toLowerCase(), '`'])] : ['0', '`'];
  if (c.hotkey) return [c.hotkey.toLowerCase()];
  return c.index <= 9 ? [String(c.index)] : [];
}

/** The classes with background (0) first when the project does not list it: every map has it. */
export function withBackground(classes: readonly EditorClass[]): readonly EditorClass[] {
  return classes.some((c) => c.index === 0)
    ? classes
    : [{ index: 0, name: 'background', color: '#000000' }, ...classes];
}

export function classActions(classes: readonly EditorClass[]): EditorAction[] {
  return withBackground(classes).map((c) => ({
    id: `class.select.${c.index}`,
    label: `Class: ${c.name}`,
    group: 'class' as const,
    keys: classKeys(c),
    run: ({ editor }: ActionContext) => editor.setActiveClass(c.index),
  }));
}

export interface Keymap {
  byChord: ReadonlyMap<string, EditorAction>;
  /** Chords bound more than once, with every action that wants them (the first listed wins). */
  conflicts: { chord: string; actions: string[] }[];
}

/** Chord → action; built-in actions are listed first, so they win over a clashing class hotkey. */
export function keymap(actions: readonly EditorAction[]): Keymap {
  const byChord = new Map<string, EditorAction>();
  const wanted = new Map<string, string[]>();
  for (const a of actions) {
    for (const k of a.keys) {
      wanted.set(k, [...(wanted.get(k) ?? []), a.id]);
      if (!byChord.has(k)) byChord.set(k, a);
    }
  }
  const conflicts = [...wanted].filter(([, ids]) => ids.length > 1).map(([chord, ids]) => ({ chord, actions: ids }));
  return { byChord, conflicts };
}
