/**
 * The project's classes, one row each: swatch, name, keys, and what the place it is shown in lets the
 * labeler do. Beside the canvas a row picks the active class and locks or hides it; in the gallery it
 * renames and recolours the class and changes its hotkey, shows its share of the annotated pixels, and
 * the list can grow. Each ability is on when its prop is given, so both places are the same list with
 * the same look. A swatch whose colour is close to the panel behind it gets an outline.
 */
import { Button, H6, Tag } from '@blueprintjs/core';
import { EyeOff, EyeOpen, Lock, Plus, Unlock } from '@blueprintjs/icons';
import { useRef } from 'react';
import { swatchNeedsOutline } from '../../../shared/color-contrast';
import { ClassRowEditor, type ClassEdit } from './ClassRowEditor';
import { useBackdropColor } from './use-backdrop-color';
import './class-panel.css';

export interface ClassPanelClass {
  /** The value its pixels carry (0 = background). */
  index: number;
  name: string;
  /** '#rrggbb'. */
  color: string;
  hotkey?: string | null;
  /** Annotated pixels of this class over all annotations (shown as a share when given). */
  pixels?: number;
}

export interface ClassPanelProps {
  classes: readonly ClassPanelClass[];
  /** A heading above the list. */
  title?: string;
  className?: string;
  /** The key labels shown beside each class (default: its hotkey). */
  keysOf?(c: ClassPanelClass): string[];
  /** Picking: the active class is highlighted, and a click on a name makes that class active. */
  pick?: { active: number; onPick(index: number): void };
  /** Locking: a locked class's pixels are never painted over; `disabledTip` says why locking is off (read-only). */
  lock?: { locked: ReadonlySet<number>; onLock(index: number, locked: boolean): void; disabledTip?: string | null };
  /** Hiding: a hidden class is not drawn on the canvas. */
  hide?: { hidden: ReadonlySet<number>; onHide(index: number, hidden: boolean): void };
  /** Editing the class list: rename, recolour, change the hotkey, add (see ClassRowEditor). */
  edit?: ClassEdit;
}

export function ClassPanel({ classes, title, className, keysOf, pick, lock, hide, edit }: ClassPanelProps) {
  const total = classes.reduce((a, c) => a + (c.pixels ?? 0), 0) || 1;
  const panel = useRef<HTMLElement>(null);
  const backdrop = useBackdropColor(panel);
  const swatchClass = (color: string) => `swatch${swatchNeedsOutline(color, backdrop) ? ' outlined' : ''}`;
  return (
    <section ref={panel} className={`class-panel ${className ?? ''}`} aria-label="Classes">
      {title && <H6>{title}</H6>}
      <ul className="class-list">
        {classes.map((c) => {
          const keys = keysOf ? keysOf(c) : c.hotkey ? [c.hotkey] : [];
          const locked = lock?.locked.has(c.index) ?? false;
          const hidden = hide?.hidden.has(c.index) ?? false;
          const share = c.pixels !== undefined && (
            <span className="pixels muted" title={`${c.pixels} annotated pixels`}>
              {((100 * c.pixels) / total).toFixed(1)}%
            </span>
          );
          if (edit)
            return (
              <ClassRowEditor key={c.index} cls={c} edit={edit} swatchClass={swatchClass(c.color)}>
                {share}
              </ClassRowEditor>
            );
          return (
            <li key={c.index} className={pick?.active === c.index ? 'active' : undefined}>
              <span className={swatchClass(c.color)} style={{ background: c.color }} />
              {pick ? (
                <Button
                  className="class-name"
                  variant="minimal"
                  alignText="start"
                  fill
                  onClick={() => pick.onPick(c.index)}
                  aria-pressed={pick.active === c.index}
                  text={c.name}
                />
              ) : (
                <span className="class-name">{c.name}</span>
              )}
              {keys.length > 0 && (
                <Tag minimal title="Shortcut">
                  {keys.join(' ')}
                </Tag>
              )}
              {share}
              {lock && (
                <Button
                  variant="minimal"
                  size="small"
                  icon={locked ? <Lock /> : <Unlock />}
                  active={locked}
                  disabled={!!lock.disabledTip}
                  aria-label={`${locked ? 'Unlock' : 'Lock'} ${c.name}`}
                  title={lock.disabledTip ?? (locked ? 'Locked: never painted over' : 'Lock')}
                  onClick={() => lock.onLock(c.index, !locked)}
                />
              )}
              {hide && (
                <Button
                  variant="minimal"
                  size="small"
                  icon={hidden ? <EyeOff /> : <EyeOpen />}
                  aria-label={`${hidden ? 'Show' : 'Hide'} ${c.name}`}
                  onClick={() => hide.onHide(c.index, !hidden)}
                />
              )}
            </li>
          );
        })}
      </ul>
      {edit && (
        <Button
          size="small"
          icon={<Plus />}
          text="Add class"
          disabled={edit.readonlyTip !== null || classes.length >= 255}
          title={edit.readonlyTip ?? undefined}
          onClick={edit.onAdd}
        />
      )}
    </section>
  );
}
