import type { FormError } from './formErrors.js';

/** The errors of a refused save that no field shows: each a line, announced. */
export function FormAlert({
  errors,
  className = 'field-error',
}: {
  errors: readonly FormError[];
  className?: string;
}) {
  const general = errors.filter((e) => e.field === null);
  if (general.length === 0) return null;
  return (
    <div role="alert">
      {general.map((e, i) => (
        <p key={i} className={className}>
          {e.message}
        </p>
      ))}
    </div>
  );
}
