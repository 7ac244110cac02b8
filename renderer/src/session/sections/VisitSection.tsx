import { Field } from '../../components/Field.js';
import { controlId } from '../formConversion.js';
import type { FormKit } from '../formKit.js';
import { LiveWarnings } from '../widgets/FieldNotes.js';
import { Section } from '../widgets/Section.js';

export function VisitSection({ kit }: { kit: FormKit }) {
  const { practitioners, v, errorFor, warningsFor, text } = kit;
  return (
    <Section id="visit" title="Visit">
      <div className="form-grid">
        <Field id={controlId('performedAt')} label="Session date and time" error={errorFor('performedAt')}>
          {(a) => <input type="datetime-local" {...a} {...text('performedAt')} />}
        </Field>
        <Field id={controlId('practitionerId')} label="Practitioner" error={errorFor('practitionerId')}>
          {(a) => (
            <select {...a} {...text('practitionerId')}>
              {v.practitionerId === '' && <option value="">Choose…</option>}
              {practitioners.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <LiveWarnings warnings={warningsFor('performedAt')} />
    </Section>
  );
}
