import { Button, ControlGroup, FormGroup, InputGroup } from '@blueprintjs/core';
import { attempt } from '../../state/actions';
import { useStudio } from '../../state/store';

/** A path typed by the user, with a Choose… button where the app has dialogs (Electron). */
export function PathField({
  id,
  label,
  value,
  onChange,
  choose,
  placeholder,
  helper,
}: {
  id: string;
  label: string;
  value: string;
  onChange(v: string): void;
  choose(): Promise<string | null>;
  placeholder: string;
  helper?: string;
}) {
  const canChoose = useStudio((s) => s.info?.canChooseFiles === true);
  return (
    <FormGroup
      label={label}
      labelFor={id}
      helperText={
        helper ??
        (canChoose
          ? undefined
          : "A path on the machine running the studio; a relative one starts in the project's folder.")
      }
    >
      <ControlGroup fill>
        <InputGroup id={id} value={value} onValueChange={onChange} placeholder={placeholder} />
        {canChoose && (
          <Button
            text="Choose…"
            onClick={() =>
              void attempt(async () => {
                const p = await choose();
                if (p) onChange(p);
              })
            }
          />
        )}
      </ControlGroup>
    </FormGroup>
  );
}
