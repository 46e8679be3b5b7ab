/**
 * Every keyboard shortcut on one sheet, opened with ? (or the keyboard button in the project's bar):
 * the canvas's actions straight from the action registry — a tool added to the registry appears here
 * by itself — the open project's class keys, and the studio's own keys.
 */
import { Classes, Dialog, DialogBody, H6, HTMLTable } from '@blueprintjs/core';
import { useEffect, useMemo } from 'react';
import { chordLabel, chordOf } from '../canvas/actions/keys';
import {
  BUILT_IN_ACTIONS,
  classActions,
  keymap,
  STUDIO_SHORTCUTS,
  type EditorAction,
} from '../canvas/actions/registry';
import { store, useStudio } from '../state/store';

const GROUPS: { group: EditorAction['group']; title: string }[] = [
  { group: 'tool', title: 'Tools' },
  { group: 'edit', title: 'Editing' },
  { group: 'brush', title: 'Brush' },
  { group: 'polygon', title: 'Polygon' },
  { group: 'view', title: 'View' },
  { group: 'class', title: 'Classes' },
];

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

function Rows({ rows }: { rows: { label: string; keys: readonly string[] }[] }) {
  return (
    <HTMLTable compact className="full-width shortcut-table">
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <td>{r.label}</td>
            <td className="shortcut-keys">
              {r.keys.map((k) => (
                <kbd key={k} className={Classes.KEY}>
                  {chordLabel(k)}
                </kbd>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </HTMLTable>
  );
}

export function ShortcutSheet() {
  const open = useStudio((s) => s.dialog === 'shortcuts');
  const classes = useStudio((s) => s.project?.classes);
  const actions = useMemo(() => {
    const all = [...BUILT_IN_ACTIONS, ...classActions(classes ?? [])];
    // A class key that a built-in action already takes does nothing; show only the keys that work.
    const taken = keymap(all).byChord;
    return all.map((a) => ({ ...a, keys: a.keys.filter((k) => taken.get(k) === a) }));
  }, [classes]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || typing(e.target) || chordOf(e) !== '?') return;
      e.preventDefault();
      store.set((s) => ({ dialog: s.dialog === 'shortcuts' ? null : s.dialog === null ? 'shortcuts' : s.dialog }));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <Dialog
      isOpen={open}
      title="Keyboard shortcuts"
      className="shortcut-sheet"
      onClose={() => store.set({ dialog: null })}
    >
      <DialogBody>
        <div className="shortcut-columns">
          {GROUPS.map(({ group, title }) => {
            const rows = actions.filter((a) => a.group === group && a.keys.length > 0);
            return rows.length === 0 ? null : (
              <section key={group} aria-label={title}>
                <H6>{title}</H6>
                <Rows rows={rows} />
              </section>
            );
          })}
          <section aria-label="Studio">
            <H6>Studio</H6>
            <Rows rows={[...STUDIO_SHORTCUTS]} />
            <p className="muted caption">
              Screens: <kbd className={Classes.KEY}>Tab</kbd> to the screen tabs, then ← / → to move between them.
            </p>
          </section>
        </div>
      </DialogBody>
    </Dialog>
  );
}
