import type { FormError } from './formErrors.js';

/** Focuses the control with this id (a group of radios or checkboxes: its first box). */
export function focusControl(id: string): void {
  const el = document.getElementById(id);
  if (el instanceof HTMLFieldSetElement) {
    el.querySelector<HTMLInputElement>('input')?.focus();
  } else {
    el?.focus();
  }
}

/**
 * Why a save was refused, announced: the one sentence, or with several, each of them, every line
 * a button that takes the keyboard to its field (`idOf` names the field's control; each field
 * shows its own message too).
 */
export function ErrorSummary({
  title,
  errors,
  idOf,
}: {
  title: string;
  errors: readonly FormError[];
  idOf: (field: string) => string;
}) {
  const [first] = errors;
  if (!first) return null;
  return (
    <div className="form-summary" role="alert">
      <p className="form-summary-title">{title}</p>
      {errors.length === 1 ? (
        <p>{first.message}</p>
      ) : (
        <ul className="form-summary-list">
          {errors.map((e, i) => (
            <li key={i}>
              {e.field === null ? (
                e.message
              ) : (
                <button type="button" onClick={() => focusControl(idOf(e.field as string))}>
                  {e.message}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
