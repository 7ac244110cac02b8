import { ADVERSE_EVENT_KINDS } from '../../../../contract/domain.js';
import { controlId } from '../formConversion.js';
import type { FormKit } from '../formKit.js';
import { formatValue } from '../history.js';
import { AdverseEventRow, newRow } from '../widgets/AdverseEventRow.js';
import { Section } from '../widgets/Section.js';

export function AdverseSection({ kit }: { kit: FormKit }) {
  const { v, onChange, errorFor, today, savedEvents } = kit;
  return (
    <Section id="adverse" title="Adverse events">
      {savedEvents && savedEvents.length > 0 && (
        <ul className="sf-saved-events">
          {savedEvents.map((e) => (
            <li key={e.id}>
              {ADVERSE_EVENT_KINDS[e.kind]}, {e.severity}, from {formatValue('onsetOn', e.onsetOn)}
              {e.resolvedOn ? ` to ${formatValue('resolvedOn', e.resolvedOn)}` : ', not resolved'}
              {e.notes ? ` — ${e.notes}` : ''}
            </li>
          ))}
        </ul>
      )}
      {v.adverseEvents.length === 0 && !savedEvents?.length && <p className="muted">None recorded.</p>}
      {v.adverseEvents.map((row, i) => (
        <AdverseEventRow
          key={row.key}
          index={i}
          row={row}
          errorFor={errorFor}
          onChange={(next) =>
            onChange((prev) => ({
              ...prev,
              adverseEvents: prev.adverseEvents.map((r, j) => (j === i ? next : r)),
            }))
          }
          onRemove={() =>
            onChange((prev) => ({ ...prev, adverseEvents: prev.adverseEvents.filter((_, j) => j !== i) }))
          }
        />
      ))}
      <div>
        <button
          type="button"
          className="button"
          onClick={() => {
            onChange((prev) => ({ ...prev, adverseEvents: [...prev.adverseEvents, newRow(today)] }));
            window.setTimeout(() =>
              document.getElementById(controlId(`adverseEvents.${v.adverseEvents.length}.kind`))?.focus(),
            );
          }}
        >
          Add adverse event
        </button>
      </div>
    </Section>
  );
}
