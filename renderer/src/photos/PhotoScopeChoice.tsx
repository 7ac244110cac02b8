import type { ReactNode } from 'react';

/** The client's choice of what their photos may be used for: one radio a scope, its words and its hint. */
export function PhotoScopeChoice<K extends string>({
  name,
  legend,
  scopes,
  label,
  hint,
  value,
  onChange,
  error,
}: {
  name: string;
  legend: string;
  scopes: readonly K[];
  label: (scope: K) => string;
  hint: (scope: K) => string;
  value: K | null;
  onChange: (scope: K) => void;
  /** Said under the legend, e.g. that a choice is needed. */
  error?: ReactNode;
}) {
  return (
    <fieldset className="ph-consent-scopes">
      <legend className="field-label">{legend}</legend>
      {error && <p className="field-error">{error}</p>}
      {scopes.map((k) => (
        <label key={k} className="ph-consent-scope">
          <input type="radio" name={name} value={k} checked={value === k} onChange={() => onChange(k)} />
          <span>
            <strong>{label(k)}</strong>
            <span className="field-hint">{hint(k)}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
