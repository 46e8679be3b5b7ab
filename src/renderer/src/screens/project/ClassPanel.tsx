import { Button, EditableText, H6 } from '@blueprintjs/core';
import { Plus } from '@blueprintjs/icons';
import type { ClassInput, StudioClass } from '../../../../shared/api';
import { paletteColor } from '../../../../shared/palette';
import { call } from '../../api/client';
import { attempt, refreshProject } from '../../state/actions';
import { useStudio } from '../../state/store';

function asInput(c: StudioClass): ClassInput {
  return { id: c.id, name: c.name, color: c.color, hotkey: c.hotkey, locked: c.locked };
}

async function save(classes: ClassInput[]): Promise<void> {
  await attempt(async () => {
    await call('classes:save', { classes });
    await refreshProject();
  });
}

/**
 * The project's classes: colour, hotkey, share of the annotated pixels; rename, recolour, add. (While
 * annotating, the canvas's own class list picks, hides and locks them.)
 */
export function ClassPanel() {
  const classes = useStudio((s) => s.project?.classes ?? []);
  const readonly = useStudio((s) => s.project?.readonly ?? true);
  const total = classes.reduce((a, c) => a + c.pixels, 0) || 1;
  const update = (id: string, patch: Partial<ClassInput>) =>
    void save(classes.map((c) => (c.id === id ? { ...asInput(c), ...patch } : asInput(c))));
  return (
    <aside className="class-panel" aria-label="Classes">
      <H6>Classes</H6>
      <ul className="class-list">
        {classes.map((c) => (
          <li key={c.id}>
            <input
              type="color"
              className="swatch"
              aria-label={`Colour of ${c.name}`}
              value={c.color}
              disabled={readonly}
              onChange={(e) => update(c.id, { color: e.currentTarget.value })}
            />
            <EditableText
              className="class-name"
              value={c.name}
              disabled={readonly}
              alwaysRenderInput={false}
              onConfirm={(name) => name.trim() && name.trim() !== c.name && update(c.id, { name: name.trim() })}
            />
            {c.hotkey && <kbd title="Hotkey">{c.hotkey}</kbd>}
            <span className="pixels muted" title={`${c.pixels} annotated pixels`}>
              {((100 * c.pixels) / total).toFixed(1)}%
            </span>
          </li>
        ))}
      </ul>
      <Button
        size="small"
        icon={<Plus />}
        text="Add class"
        disabled={readonly || classes.length >= 255}
        onClick={() =>
          void save([
            ...classes.map(asInput),
            { name: `class ${classes.length}`, color: paletteColor(classes.length), hotkey: null },
          ])
        }
      />
    </aside>
  );
}
