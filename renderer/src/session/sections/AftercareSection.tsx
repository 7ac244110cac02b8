import { AFTERCARE, AFTERCARE_KEYS, type Aftercare } from '../../../../contract/domain.js';
import { controlId } from '../formConversion.js';
import type { FormKit } from '../formKit.js';
import { Section } from '../widgets/Section.js';

function toggle(list: Aftercare[], key: Aftercare, on: boolean): Aftercare[] {
  return on ? AFTERCARE_KEYS.filter((k) => k === key || list.includes(k)) : list.filter((k) => k !== key);
}

export function AftercareSection({ kit }: { kit: FormKit }) {
  const { v, onChange, lips, errorFor, carriedMark, sectionCarried } = kit;
  return (
    <Section id="aftercare" title="Aftercare" carried={sectionCarried('aftercare')}>
      <fieldset className="checks" id={controlId('aftercare')}>
        <legend>
          Aftercare given
          {carriedMark('aftercare')}
        </legend>
        {errorFor('aftercare') && <p className="field-error">{errorFor('aftercare')}</p>}
        <div className="check-grid">
          {AFTERCARE_KEYS.filter((k) => lips || k !== 'keep_lips_moisturised').map((k) => (
            <label key={k} className="check">
              <input
                type="checkbox"
                checked={v.aftercare.includes(k)}
                onChange={(e) =>
                  onChange((prev) => ({
                    ...prev,
                    aftercare: toggle(prev.aftercare, k, e.target.checked),
                  }))
                }
              />
              {AFTERCARE[k]}
            </label>
          ))}
        </div>
      </fieldset>
    </Section>
  );
}
