import type { LotKind } from '../../../../contract/domain.js';
import { Field } from '../../components/Field.js';
import { LotInput } from '../../components/LotInput.js';
import type { FormKit } from '../formKit.js';
import type { FormValues } from '../formValues.js';
import { Section } from '../widgets/Section.js';

/** The three lot numbers, beside the device and cartridge, each suggesting the lots entered before. */
const LOT_FIELDS = [
  { field: 'cartridgeLot', kind: 'cartridge', label: 'Cartridge lot' },
  { field: 'numbingLot', kind: 'numbing', label: 'Numbing lot' },
  { field: 'glideLot', kind: 'glide', label: 'Glide lot' },
] as const satisfies readonly { field: keyof FormValues; kind: LotKind; label: string }[];

export function DeviceSection({ kit }: { kit: FormKit }) {
  const { v, set, text, fieldOf, sectionCarried } = kit;
  return (
    <Section id="device" title="Device and cartridge" carried={sectionCarried('device')}>
      <div className="form-grid">
        <Field {...fieldOf('device', 'Device')}>
          {(a) => <input type="text" autoComplete="off" {...a} {...text('device')} />}
        </Field>
        <Field {...fieldOf('cartridgeType', 'Cartridge type')}>
          {(a) => <input type="text" autoComplete="off" {...a} {...text('cartridgeType')} />}
        </Field>
        {LOT_FIELDS.map(({ field, kind, label }) => (
          <Field key={field} {...fieldOf(field, label)}>
            {(a) => <LotInput kind={kind} a11y={a} value={v[field]} onChange={set(field)} />}
          </Field>
        ))}
      </div>
    </Section>
  );
}
