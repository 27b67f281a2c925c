// One descriptor field as a form control: text, path, integer, password, checkbox,
// or a choice (radio buttons for a few options, a list for more).
import { localized, type ConnectionField, type FieldValue } from '../../../../shared/descriptor';

const RADIO_LIMIT = 4;

export interface FieldInputProps {
  field: ConnectionField;
  label: string;
  value: FieldValue | undefined;
  language: string;
  placeholder?: string;
  error?: string;
  onChange: (value: FieldValue) => void;
}

export const fieldTestId = (key: string) => `add-server-${key}`;

export function FieldInput(props: FieldInputProps) {
  const { field, label, language } = props;
  const id = fieldTestId(field.key);
  const hint = field.hint ? localized(field.hint, language) : null;
  const placeholder = props.placeholder ?? (field.placeholder ? localized(field.placeholder, language) : undefined);

  if (field.type === 'boolean') {
    return (
      <label className="checkbox" data-field={field.key}>
        <input type="checkbox" data-testid={id} checked={props.value === true} onChange={(e) => props.onChange(e.target.checked)} />
        {label}
      </label>
    );
  }

  if (field.type === 'choice') {
    const choices = field.choices ?? [];
    if (choices.length <= RADIO_LIMIT) {
      return (
        <fieldset className="field radio-row" data-field={field.key}>
          <legend>{label}</legend>
          {choices.map((c) => (
            <label key={c.value} className="checkbox">
              <input type="radio" name={id} data-testid={`${id}-${c.value}`} checked={props.value === c.value} onChange={() => props.onChange(c.value)} />
              {localized(c.label, language)}
            </label>
          ))}
          {props.error ? <span className="field-error" role="alert">{props.error}</span> : null}
        </fieldset>
      );
    }
  }

  return (
    <label className={`field${field.type === 'integer' ? ' narrow' : ' grow'}${props.error ? ' invalid' : ''}`} data-field={field.key}>
      <span>{label}</span>
      {field.type === 'choice' ? (
        <select data-testid={id} value={String(props.value ?? '')} onChange={(e) => props.onChange(e.target.value)}>
          {(field.choices ?? []).map((c) => (
            <option key={c.value} value={c.value}>
              {localized(c.label, language)}
            </option>
          ))}
        </select>
      ) : (
        <input
          data-testid={id}
          type={field.type === 'secret' ? 'password' : 'text'}
          inputMode={field.type === 'integer' ? 'numeric' : undefined}
          autoComplete={field.key === 'username' ? 'username' : field.type === 'secret' ? 'current-password' : 'off'}
          spellCheck={false}
          maxLength={field.maxLength}
          value={String(props.value ?? '')}
          placeholder={placeholder}
          aria-invalid={props.error ? true : undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      {hint && !props.error ? <span className="hint">{hint}</span> : null}
      {props.error ? <span className="field-error" role="alert">{props.error}</span> : null}
    </label>
  );
}
