import { EXPORT_FORMAT_LABELS, type ExportFormat } from '../../../contract/domain.js';

/** The radio buttons of an export's format (CSV, PDF report, archive bundle…), their legend heard only. */
export function ExportFormatChoice({
  name,
  formats,
  value,
  onChange,
}: {
  /** The radio group's name, unique on the page. */
  name: string;
  formats: readonly ExportFormat[];
  value: ExportFormat;
  onChange: (format: ExportFormat) => void;
}) {
  return (
    <fieldset className="export-formats">
      <legend className="visually-hidden">Format</legend>
      {formats.map((f) => (
        <label key={f} className="choice">
          <input type="radio" name={name} value={f} checked={value === f} onChange={() => onChange(f)} />{' '}
          {EXPORT_FORMAT_LABELS[f]}
        </label>
      ))}
    </fieldset>
  );
}
