import type { ClinicalWarning, RangeGrade } from '../../../contract/warnings.js';
import type { Warning } from '../../../contract/result.js';

/**
 * One clinical warning as the form shows it while typing and the saved screens show it after: the
 * same message (contract/warnings.ts), then how far outside the range the value is, in bold.
 */
export function WarningText({ warning }: { warning: Pick<ClinicalWarning, 'message' | 'detail'> }) {
  return (
    <>
      {warning.message}
      {warning.detail && <strong className="warn-detail"> {warning.detail}</strong>}
    </>
  );
}

/** The class of a warning box for its grade: the further outside, the stronger the colour. */
export function warningClass(base: string, grade: RangeGrade | undefined): string {
  return grade ? `${base} is-${grade}` : base;
}

/** The warnings a save came back with, as the log and edit pages list them after "Saved. Check:". */
export function SavedWarnings({ title, warnings }: { title: string; warnings: readonly Warning[] }) {
  return (
    <>
      <p className="sf-warnings-title">{title}</p>
      <ul>
        {warnings.map((w, i) => (
          <li key={`${w.code}-${i}`} className={warningClass('sf-warning-item', w.grade)}>
            <WarningText warning={w} />
          </li>
        ))}
      </ul>
    </>
  );
}
