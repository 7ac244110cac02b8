import type { FormKit } from '../formKit.js';
import { Section } from '../widgets/Section.js';

export function ResponseSection({ kit }: { kit: FormKit }) {
  const { scale } = kit;
  return (
    <Section id="response" title="Response">
      {scale('pain')}
      <div className="sf-scales">
        {scale('erythema')}
        {scale('edema')}
        {scale('bleeding')}
      </div>
    </Section>
  );
}
