import { Button, HTMLTable, InputGroup } from '@blueprintjs/core';
import { Fragment } from 'react';
import { Plus, Trash } from '@blueprintjs/icons';
import type { ClassInput } from '../../../../shared/api';
import type { ClassRowProblem } from '../../../../shared/class-list';
import { paletteColor } from '../../../../shared/palette';
import { defaultHotkey } from '../../../../shared/presets';

/**
 * Classes as an editable table: colour, name, hotkey; class 0 (background) cannot be removed. A row the
 * list refuses (classListProblems: empty, a name used twice, a hotkey used twice) is marked, with the
 * sentence under it; what was typed stays.
 */
export function ClassTable({
  classes,
  problems,
  onChange,
}: {
  classes: ClassInput[];
  problems: readonly ClassRowProblem[];
  onChange(c: ClassInput[]): void;
}) {
  const patch = (i: number, p: Partial<ClassInput>) => onChange(classes.map((c, j) => (j === i ? { ...c, ...p } : c)));
  const problemAt = (row: number, field: ClassRowProblem['field']) =>
    problems.find((p) => p.row === row && p.field === field);
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
            <Fragment key={i}>
              <tr className={problems.some((p) => p.row === i) ? 'has-problem' : undefined}>
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
                    intent={problemAt(i, 'name') ? 'danger' : 'none'}
                    aria-invalid={problemAt(i, 'name') ? true : undefined}
                    aria-label={`Name of class ${i}`}
                    value={c.name}
                    onValueChange={(v) => patch(i, { name: v })}
                  />
                </td>
                <td>
                  <InputGroup
                    size="small"
                    className="hotkey-input"
                    intent={problemAt(i, 'hotkey') ? 'danger' : 'none'}
                    aria-invalid={problemAt(i, 'hotkey') ? true : undefined}
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
              {problems
                .filter((p) => p.row === i)
                .map((p) => (
                  <tr key={p.field} className="row-problem">
                    <td />
                    <td colSpan={4} role="alert">
                      {p.message}
                    </td>
                  </tr>
                ))}
            </Fragment>
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
