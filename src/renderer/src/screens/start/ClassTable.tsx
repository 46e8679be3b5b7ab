import { Button, HTMLTable, InputGroup } from '@blueprintjs/core';
import { Plus, Trash } from '@blueprintjs/icons';
import type { ClassInput } from '../../../../shared/api';
import { paletteColor } from '../../../../shared/palette';
import { defaultHotkey } from '../../../../shared/presets';

/** Classes as an editable table: colour, name, hotkey; class 0 (background) cannot be removed. */
export function ClassTable({ classes, onChange }: { classes: ClassInput[]; onChange(c: ClassInput[]): void }) {
  const patch = (i: number, p: Partial<ClassInput>) => onChange(classes.map((c, j) => (j === i ? { ...c, ...p } : c)));
  return (
    <div className="class-table">
      <HTMLTable compact striped>
        <thead>
          <tr>
            <th>id</th>
            <th>colour</th>
            <th>name</th>
            <th>hotkey</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {classes.map((c, i) => (
            <tr key={i}>
              <td className="muted">{i}</td>
              <td>
                <input
                  type="color"
                  aria-label={`Colour of ${c.name || `class ${i}`}`}
                  value={c.color}
                  onChange={(e) => patch(i, { color: e.currentTarget.value })}
                />
              </td>
              <td>
                <InputGroup
                  size="small"
                  aria-label={`Name of class ${i}`}
                  value={c.name}
                  onValueChange={(v) => patch(i, { name: v })}
                />
              </td>
              <td>
                <InputGroup
                  size="small"
                  className="hotkey-input"
                  aria-label={`Hotkey of class ${i}`}
                  value={c.hotkey ?? ''}
                  maxLength={3}
                  onValueChange={(v) => patch(i, { hotkey: v || null })}
                />
              </td>
              <td>
                {i > 0 && (
                  <Button
                    variant="minimal"
                    size="small"
                    icon={<Trash />}
                    aria-label={`Remove ${c.name}`}
                    onClick={() => onChange(classes.filter((_, j) => j !== i))}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </HTMLTable>
      <Button
        size="small"
        icon={<Plus />}
        text="Add class"
        disabled={classes.length >= 255}
        onClick={() =>
          onChange([
            ...classes,
            {
              name: `class ${classes.length}`,
              color: paletteColor(classes.length),
              hotkey: defaultHotkey(classes.length),
            },
          ])
        }
      />
    </div>
  );
}
