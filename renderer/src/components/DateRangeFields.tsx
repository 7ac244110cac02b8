import { Field } from './Field.js';

/** A filter's "From" and "To" days (`<id>-from`, `<id>-to`); empty means open-ended. */
export function DateRangeFields({
  id,
  from,
  to,
  onFrom,
  onTo,
  errorFor,
}: {
  id: string;
  from: string;
  to: string;
  onFrom: (day: string) => void;
  onTo: (day: string) => void;
  errorFor?: (end: 'from' | 'to') => string | undefined;
}) {
  return (
    <>
      <Field id={`${id}-from`} label="From" error={errorFor?.('from')}>
        {(a11y) => <input {...a11y} type="date" value={from} onChange={(e) => onFrom(e.target.value)} />}
      </Field>
      <Field id={`${id}-to`} label="To" error={errorFor?.('to')}>
        {(a11y) => <input {...a11y} type="date" value={to} onChange={(e) => onTo(e.target.value)} />}
      </Field>
    </>
  );
}
