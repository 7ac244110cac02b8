import { Field } from '../components/Field.js';

/** The reason a session is saved against the rule (an addendum, no signed consent): kept with the record. */
export function ReasonField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  error: string | undefined;
  value: string;
  onChange: (reason: string) => void;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(a) => (
        <textarea
          rows={2}
          className="sg-reason"
          {...a}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
