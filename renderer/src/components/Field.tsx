import type { ReactNode } from 'react';

interface Props {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean;
  /** A short note under the control (e.g. "from session 2"), also read as part of its description. */
  mark?: ReactNode;
  /** Renders the control, given the attributes that tie it to its label, hint and error. */
  children: (a11y: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
    'aria-required': boolean | undefined;
  }) => ReactNode;
}

/**
 * A labelled form control with its hint and its error message, wired up for assistive technology.
 * The error goes under the control so that controls side by side stay aligned.
 */
export function Field({ id, label, error, hint, required, mark, children }: Props) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const markId = mark ? `${id}-mark` : undefined;
  const describedBy = [errorId, hintId, markId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label htmlFor={id} className="field-label">
        {label}
        {required && <span className="required"> (required)</span>}
      </label>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {children({
        id,
        'aria-invalid': Boolean(error),
        'aria-describedby': describedBy,
        'aria-required': required || undefined,
      })}
      {mark && (
        <span id={markId} className="field-mark">
          {mark}
        </span>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
