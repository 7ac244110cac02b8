import { Field } from './Field.js';

/** A labelled passphrase input (never echoed, never remembered by the browser as a plain field). */
export function PasswordField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  autoComplete = 'current-password',
  autoFocus = false,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  autoComplete?: 'current-password' | 'new-password' | 'off';
  autoFocus?: boolean;
}) {
  return (
    <Field id={id} label={label} required error={error} hint={hint}>
      {(a) => (
        <input
          {...a}
          type="password"
          autoComplete={autoComplete}
          autoFocus={autoFocus}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
