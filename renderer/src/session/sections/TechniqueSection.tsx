import { Field } from '../../components/Field.js';
import type { FormKit } from '../formKit.js';
import { Section } from '../widgets/Section.js';

export function TechniqueSection({ kit }: { kit: FormKit }) {
  const { text, fieldOf, sectionCarried } = kit;
  return (
    <Section id="technique" title="Technique" carried={sectionCarried('technique')}>
      <div className="form-grid">
        <Field {...fieldOf('passes', 'Passes')}>
          {(a) => <input type="text" inputMode="numeric" autoComplete="off" {...a} {...text('passes')} />}
        </Field>
        <Field {...fieldOf('speed', 'Speed setting')}>
          {(a) => <input type="text" inputMode="numeric" autoComplete="off" {...a} {...text('speed')} />}
        </Field>
        <Field {...fieldOf('glide', 'Glide / serum')}>
          {(a) => <input type="text" autoComplete="off" {...a} {...text('glide')} />}
        </Field>
      </div>
    </Section>
  );
}
