import type { FormKit } from '../formKit.js';
import { Section } from '../widgets/Section.js';

export function OutcomeSection({ kit }: { kit: FormKit }) {
  const { course, lips, scale } = kit;
  return (
    <Section id="outcome" title="Outcome">
      <div className="sf-scales">
        {scale('gaisPractitioner')}
        {scale('gaisClient')}
      </div>
      {scale('satisfaction')}
      {lips && (
        <div className="sf-scales">
          {scale('lipFullnessUpper')}
          {scale('lipFullnessLower')}
        </div>
      )}
      {course.indication === 'acne_scars' && scale('goodmanBaron')}
    </Section>
  );
}
