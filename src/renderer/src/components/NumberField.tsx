/**
 * A number a person types (samples to add, models in the ensemble, samples to keep): the text is kept
 * as typed and checked against the field's range from src/shared/number-fields.ts, the same range the
 * API checks. A bad value is refused where it is typed — the field turns red and says what to enter —
 * and the form's button stays disabled until it is fixed (`value` is null meanwhile).
 */
import { ControlGroup, FormGroup, NumericInput } from '@blueprintjs/core';
import { useState } from 'react';
import { rangeText, readNumberField, type NumberField as Field } from '../../../shared/number-fields';

export interface NumberFieldState {
  field: Field;
  text: string;
  setText(text: string): void;
  /** The number, or null while the text is not a valid one. */
  value: number | null;
  error: string | null;
}

export function useNumberField(field: Field, initial: number): NumberFieldState {
  const [text, setText] = useState(String(initial));
  const read = readNumberField(field, text);
  return 'value' in read
    ? { field, text, setText, value: read.value, error: null }
    : { field, text, setText, value: null, error: read.error };
}

export function NumberField({
  state,
  id,
  inline = false,
  label = true,
  ariaLabel,
  width,
  addon,
}: {
  state: NumberFieldState;
  id: string;
  inline?: boolean;
  /** Show the field's label (off where the button beside it says what the number is for). */
  label?: boolean;
  ariaLabel?: string;
  width?: number;
  /** A control joined to the input's right (the button that uses the number), above the helper text. */
  addon?: React.ReactNode;
}) {
  const { field, error } = state;
  const help = `${rangeText(field)[0].toUpperCase()}${rangeText(field).slice(1)}.`;
  return (
    <FormGroup
      className="number-field"
      label={label ? field.label : undefined}
      labelFor={id}
      inline={inline}
      intent={error ? 'danger' : 'none'}
      helperText={<span id={`${id}-help`}>{error ?? help}</span>}
    >
      <ControlGroup>
        <NumericInput
          id={id}
          aria-label={ariaLabel}
          aria-invalid={error !== null}
          aria-describedby={`${id}-help`}
          intent={error ? 'danger' : 'none'}
          min={field.min}
          max={field.max}
          stepSize={1}
          minorStepSize={field.integer ? null : 0.1}
          clampValueOnBlur={false}
          value={state.text}
          onValueChange={(_n, text) => state.setText(text)}
          style={width ? { width } : undefined}
        />
        {addon}
      </ControlGroup>
    </FormGroup>
  );
}
