/**
 * One class of the Gallery's class list in edit mode: colour, name and hotkey. What the labeler typed
 * stays in the row until it is saved: a name or key the list refuses (empty, used by another class, a
 * hotkey used twice) keeps the typed text, marks the field and says why under the row — never a silent
 * return to the old value. Escape gives the old value back.
 */
import { EditableText, Intent } from '@blueprintjs/core';
import { useState, type ReactNode } from 'react';

export interface ClassPatch {
  name?: string;
  color?: string;
  hotkey?: string | null;
}

export interface ClassEdit {
  /** Why editing is off (the project is read-only), or null when it is on. */
  readonlyTip: string | null;
  /** Save a change; resolves to the sentence that refused it, or null once it is saved. */
  onChange(index: number, patch: ClassPatch): Promise<string | null>;
  onAdd(): void;
}

interface RowClass {
  index: number;
  name: string;
  color: string;
  hotkey?: string | null;
}

export function ClassRowEditor({
  cls,
  edit,
  swatchClass,
  children,
}: {
  cls: RowClass;
  edit: ClassEdit;
  swatchClass: string;
  children?: ReactNode;
}) {
  const [draft, setDraft] = useState<{ name?: string; hotkey?: string }>({});
  const [problem, setProblem] = useState<{ field: keyof ClassPatch; message: string } | null>(null);
  const disabled = edit.readonlyTip !== null;
  const save = async (field: keyof ClassPatch, patch: ClassPatch) => {
    const message = await edit.onChange(cls.index, patch);
    if (message) return setProblem({ field, message });
    setProblem(null);
    setDraft((d) => ({ ...d, [field]: undefined }));
  };
  const revert = (field: 'name' | 'hotkey') => {
    setDraft((d) => ({ ...d, [field]: undefined }));
    if (problem?.field === field) setProblem(null);
  };
  const intent = (field: keyof ClassPatch) => (problem?.field === field ? Intent.DANGER : Intent.NONE);
  const errorId = `class-row-problem-${cls.index}`;
  return (
    <li className={`class-row${problem ? ' has-problem' : ''}`} title={edit.readonlyTip ?? undefined}>
      <input
        type="color"
        className={swatchClass}
        aria-label={`Colour of ${cls.name}`}
        value={cls.color}
        disabled={disabled}
        onChange={(e) => void save('color', { color: e.currentTarget.value })}
      />
      <EditableText
        className="class-name"
        value={draft.name ?? cls.name}
        disabled={disabled}
        intent={intent('name')}
        alwaysRenderInput={false}
        selectAllOnFocus
        customInputAttributes={{ 'aria-label': `Name of ${cls.name}` }}
        onChange={(name) => setDraft((d) => ({ ...d, name }))}
        onCancel={() => revert('name')}
        onConfirm={(name) => {
          if (name === cls.name && problem?.field !== 'name') return revert('name');
          void save('name', { name });
        }}
      />
      <EditableText
        className="class-hotkey"
        value={draft.hotkey ?? cls.hotkey ?? ''}
        placeholder="key"
        maxLength={3}
        disabled={disabled}
        intent={intent('hotkey')}
        alwaysRenderInput={false}
        customInputAttributes={{ 'aria-label': `Hotkey of ${cls.name}` }}
        onChange={(hotkey) => setDraft((d) => ({ ...d, hotkey }))}
        onCancel={() => revert('hotkey')}
        onConfirm={(hotkey) => {
          if (hotkey === (cls.hotkey ?? '') && problem?.field !== 'hotkey') return revert('hotkey');
          void save('hotkey', { hotkey: hotkey.trim() || null });
        }}
      />
      {children}
      {problem && (
        <span id={errorId} className="class-row-problem" role="alert">
          {problem.message}
        </span>
      )}
    </li>
  );
}
