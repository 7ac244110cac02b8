import { Field } from '../../components/Field.js';
import { controlId } from '../formConversion.js';
import type { FormKit } from '../formKit.js';
import type { PhotoConsent } from '../formValues.js';
import { RadioGroup } from '../widgets/RadioGroup.js';
import { Section } from '../widgets/Section.js';

const PHOTO_CONSENT_OPTIONS: { value: PhotoConsent; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'record', label: 'Record only' },
  { value: 'teaching', label: 'Teaching' },
  { value: 'marketing', label: 'Marketing' },
];

export function ConsentSection({ kit }: { kit: FormKit }) {
  const { v, errorFor, set, text } = kit;
  return (
    <Section id="consent" title="Consent and notes">
      <label className="check sf-check">
        <input
          id={controlId('consentProcedure')}
          type="checkbox"
          checked={v.consentProcedure}
          onChange={(e) => set('consentProcedure')(e.target.checked)}
        />
        Procedure consent confirmed
      </label>
      <RadioGroup
        field="photoConsent"
        label="Photo consent"
        options={PHOTO_CONSENT_OPTIONS}
        value={v.photoConsent}
        onChange={(x) => set('photoConsent')(x as PhotoConsent)}
        error={errorFor('photoConsent')}
      />
      <Field id={controlId('notes')} label="Notes" error={errorFor('notes')}>
        {(a) => <textarea rows={4} {...a} {...text('notes')} />}
      </Field>
    </Section>
  );
}
