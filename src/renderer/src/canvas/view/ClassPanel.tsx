/** The classes: pick the active one, lock it (its pixels are never painted over) or hide it. */
import { Button, Tag } from '@blueprintjs/core';
import { EyeOff, EyeOpen, Lock, Unlock } from '@blueprintjs/icons';
import { chordLabel } from '../actions/keys';
import { classKeys } from '../actions/registry';
import type { Editor } from '../model/editor';
import type { EditorClass, EditorSettings } from '../model/settings';

export interface ClassPanelProps {
  editor: Editor;
  classes: readonly EditorClass[];
  settings: EditorSettings;
  /** Chords that clash with a tool's shortcut (the tool keeps them). */
  clashing: ReadonlySet<string>;
}

export function ClassPanel({ editor, classes, settings, clashing }: ClassPanelProps) {
  const all = classes.some((c) => c.index === 0)
    ? classes
    : [{ index: 0, name: 'background', color: '#000000' }, ...classes];
  return (
    <ul className="dgs-classes" aria-label="Classes">
      {all.map((c) => {
        const locked = settings.locked.has(c.index);
        const hidden = settings.hidden.has(c.index);
        const keys = classKeys(c).filter((k) => !clashing.has(k));
        return (
          <li key={c.index} className={settings.activeClass === c.index ? 'active' : undefined}>
            <Button
              variant="minimal"
              alignText="start"
              fill
              onClick={() => editor.setActiveClass(c.index)}
              aria-pressed={settings.activeClass === c.index}
            >
              <span className="dgs-swatch" style={{ background: c.color }} />
              {c.name}
            </Button>
            {keys.length > 0 && <Tag minimal>{keys.map(chordLabel).join(' ')}</Tag>}
            <Button
              variant="minimal"
              size="small"
              icon={locked ? <Lock /> : <Unlock />}
              active={locked}
              aria-label={`${locked ? 'Unlock' : 'Lock'} ${c.name}`}
              title={locked ? 'Locked: never painted over' : 'Lock'}
              onClick={() => editor.setLocked(c.index, !locked)}
            />
            <Button
              variant="minimal"
              size="small"
              icon={hidden ? <EyeOff /> : <EyeOpen />}
              aria-label={`${hidden ? 'Show' : 'Hide'} ${c.name}`}
              onClick={() => editor.setHidden(c.index, !hidden)}
            />
          </li>
        );
      })}
    </ul>
  );
}
