/** What sits under or beside a field: the carried-forward mark and the live warnings. */
import type { LiveWarning } from '../formRanges.js';
import { WarningText, warningClass } from '../WarningText.js';

export function CarriedMark({ from }: { from: number }) {
  return <span className="sf-carried-mark">from session {from}</span>;
}

/** One live warning under its field, led by how far outside the range the value is. */
export function LiveWarningLine({ id, warning }: { id?: string; warning: LiveWarning }) {
  return (
    <p id={id} className={warningClass('sf-warn', warning.warning.grade)}>
      <WarningText warning={warning.warning} /> You can still save it.
    </p>
  );
}

export function LiveWarnings({ warnings }: { warnings: readonly LiveWarning[] }) {
  return (
    <>
      {warnings.map((w) => (
        <LiveWarningLine key={w.warning.code} warning={w} />
      ))}
    </>
  );
}
