import { Field } from '../components/Field.js';

interface Props {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  autoFocus?: boolean;
  /** "current-password" to sign in, "new-password" to choose one. */
  autoComplete: 'current-password' | 'new-password';
}

/** A PIN or passphrase field: hidden as typed, digits keypad on touch screens, never autofilled as text. */
export function PinInput({ id, label, value, onChange, error, hint, autoFocus, autoComplete }: Props) {
  return (
    <Field id={id} label={label} error={error} hint={hint} required>
      {(a) => (
        <input
          {...a}
          className="pin-input"
          type="password"
          inputMode="numeric"
          autoComplete={autoComplete}
          spellCheck={false}
          maxLength={200}
          autoFocus={autoFocus}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
