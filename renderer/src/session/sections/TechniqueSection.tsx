import { Field } from '../../components/Field.js';
import { fmt } from '../../format.js';
import { parseDecimal } from '../formConversion.js';
import type { ZoneRow } from '../formValues.js';
import type { FormKit } from '../formKit.js';
import { Section } from '../widgets/Section.js';

/**
 * When every treated zone has its passes, the session's total of them, as a hint beside the
 * session's own passes (which stay as recorded: for sessions without passes per zone).
 */
function zonePassesHint(zones: readonly ZoneRow[]): string | undefined {
  const treated = zones.filter((z) => z.depth.trim() !== '');
  const counts = treated.map((z) => parseDecimal(z.passes ?? ''));
  if (treated.length === 0 || !counts.every((n) => typeof n === 'number' && Number.isInteger(n))) {
    return undefined;
  }
  const total = (counts as number[]).reduce((a, b) => a + b, 0);
  return `Per zone: ${fmt().passes(total)} in all over ${treated.length} ${treated.length === 1 ? 'zone' : 'zones'}.`;
}

export function TechniqueSection({ kit }: { kit: FormKit }) {
  const { text, fieldOf, sectionCarried, v } = kit;
  return (
    <Section id="technique" title="Technique" carried={sectionCarried('technique')}>
      <div className="form-grid">
        <Field {...fieldOf('passes', 'Passes')} hint={zonePassesHint(v.zones)}>
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
