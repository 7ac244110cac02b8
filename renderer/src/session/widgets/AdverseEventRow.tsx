import { ADVERSE_EVENT_KIND_KEYS, ADVERSE_EVENT_KINDS, SEVERITIES } from '../../../../contract/domain.js';
import { Field } from '../../components/Field.js';
import { controlId } from '../formConversion.js';
import type { AdverseRow } from '../formValues.js';

let rowCounter = 0;
export function newRow(today: string): AdverseRow {
  rowCounter += 1;
  return {
    key: `ae-${Date.now()}-${rowCounter}`,
    kind: '',
    severity: '',
    onsetOn: today,
    resolvedOn: '',
    notes: '',
  };
}

export function AdverseEventRow({
  index,
  row,
  errorFor,
  onChange,
  onRemove,
}: {
  index: number;
  row: AdverseRow;
  errorFor: (field: string) => string | undefined;
  onChange: (row: AdverseRow) => void;
  onRemove: () => void;
}) {
  const f = (name: keyof AdverseRow) => `adverseEvents.${index}.${name}`;
  const set = (name: keyof AdverseRow) => (e: { target: { value: string } }) =>
    onChange({ ...row, [name]: e.target.value });
  return (
    <fieldset className="sf-event">
      <legend>Adverse event {index + 1}</legend>
      <div className="form-grid">
        <Field id={controlId(f('kind'))} label="Kind" error={errorFor(f('kind'))}>
          {(a) => (
            <select {...a} value={row.kind} onChange={set('kind')}>
              <option value="">Choose…</option>
              {ADVERSE_EVENT_KIND_KEYS.map((k) => (
                <option key={k} value={k}>
                  {ADVERSE_EVENT_KINDS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={controlId(f('severity'))} label="Severity" error={errorFor(f('severity'))}>
          {(a) => (
            <select {...a} value={row.severity} onChange={set('severity')}>
              <option value="">Choose…</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s.charAt(0).toUpperCase() + s.slice(1)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={controlId(f('onsetOn'))} label="Onset date" error={errorFor(f('onsetOn'))}>
          {(a) => <input type="date" {...a} value={row.onsetOn} onChange={set('onsetOn')} />}
        </Field>
        <Field id={controlId(f('resolvedOn'))} label="Resolved date" error={errorFor(f('resolvedOn'))}>
          {(a) => <input type="date" {...a} value={row.resolvedOn} onChange={set('resolvedOn')} />}
        </Field>
      </div>
      <Field id={controlId(f('notes'))} label="Event notes" error={errorFor(f('notes'))}>
        {(a) => <input type="text" autoComplete="off" {...a} value={row.notes} onChange={set('notes')} />}
      </Field>
      <div>
        <button type="button" className="button small" onClick={onRemove}>
          Remove adverse event {index + 1}
        </button>
      </div>
    </fieldset>
  );
}
