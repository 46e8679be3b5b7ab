/**
 * Key chords as strings: modifiers in the order ctrl, alt, shift, then the key, lower case — "ctrl+z",
 * "ctrl+shift+z", "[", "space", "escape". Cmd counts as ctrl (macOS habits match Windows/Linux ones).
 * Shift is part of a chord only for letters and named keys: for symbols it is already in the
 * character ("shift+[" arrives as "{").
 */

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const NAMED: Record<string, string> = { ' ': 'space', esc: 'escape', del: 'delete', spacebar: 'space' };

export function chordOf(e: KeyLike): string {
  const raw = e.key.toLowerCase();
  const key = NAMED[raw] ?? raw;
  const shiftCounts = /^[a-z]$/.test(key) || key.length > 1;
  return [(e.ctrlKey || e.metaKey) && 'ctrl', e.altKey && 'alt', e.shiftKey && shiftCounts && 'shift', key]
    .filter(Boolean)
    .join('+');
}

const READ_AS: Record<string, string> = {
  arrowleft: '←',
  arrowright: '→',
  arrowup: '↑',
  arrowdown: '↓',
  escape: 'Esc',
};

/** A chord as a person reads it: "Ctrl+Shift+Z", "[", "Space", "←". */
export function chordLabel(chord: string): string {
  const plusKey = chord.endsWith('++') || chord === '+';
  const parts = (plusKey ? chord.slice(0, -1) : chord).split('+').filter(Boolean);
  return [...parts, ...(plusKey ? ['+'] : [])]
    .map((p) => READ_AS[p] ?? (p.length === 1 ? p.toUpperCase() : p[0].toUpperCase() + p.slice(1)))
    .join('+');
}
