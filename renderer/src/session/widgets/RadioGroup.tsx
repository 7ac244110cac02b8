import { controlId } from '../formConversion.js';

export interface RadioOption {
  value: string;
  label: string;
  /** A scale point's word ("Marked"), shown under its number ("3") so a 0–3 scale keeps to one row. */
  word?: string;
}

interface RadioGroupProps {
  field: string;
  label: string;
  hint?: string | undefined;
  options: RadioOption[];
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
  clearable?: boolean;
  className?: string;
}

/**
 * A row of big radio tiles, each a native radio drawn as the tile itself (so a tap, a click, Tab and
 * the arrow keys all operate the real control), the group named by its legend.
 */
export function RadioGroup(p: RadioGroupProps) {
  const id = controlId(p.field);
  const legendId = `${id}-legend`;
  const describedBy =
    [p.error && `${id}-error`, p.hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset
      id={id}
      role="radiogroup"
      aria-labelledby={legendId}
      aria-describedby={describedBy}
      aria-invalid={Boolean(p.error)}
      className={p.error ? 'sf-group has-error' : 'sf-group'}
    >
      <legend className="field-label sf-legend">
        <span id={legendId}>{p.label}</span>
        {/* Beside the name, so choosing a value never moves the tiles. */}
        {p.clearable && p.value !== '' && (
          <button
            type="button"
            className="button small sf-clear"
            aria-label={`Clear ${p.label.toLowerCase()}`}
            onClick={(e) => {
              // The button goes with the value: keep the keyboard in the group, on its first tile.
              e.currentTarget.closest('fieldset')?.querySelector('input')?.focus();
              p.onChange('');
            }}
          >
            Clear
          </button>
        )}
      </legend>
      {p.hint && (
        <p id={`${id}-hint`} className="field-hint">
          {p.hint}
        </p>
      )}
      <div className={p.className ?? 'sf-radios is-labelled'}>
        {p.options.map((o) => (
          <label key={o.value} className="sf-radio tile-radio">
            <input
              type="radio"
              name={id}
              value={o.value}
              checked={p.value === o.value}
              onChange={() => p.onChange(o.value)}
            />
            <span className="sf-radio-face">
              {o.label}
              {o.word && (
                <>
                  {' '}
                  <span className="sf-radio-word">{o.word}</span>
                </>
              )}
            </span>
          </label>
        ))}
      </div>
      {p.error && (
        <p id={`${id}-error`} className="field-error">
          {p.error}
        </p>
      )}
    </fieldset>
  );
}
