import type { FormValues } from './formValues.js';
import type { LiveWarning } from './formRanges.js';

/** The form's sections: which fields each holds, and what the index beside the form says of each. */

/** The form's sections in order, with the fields each holds: for the section index. */
export const FORM_SECTIONS = [
  { id: 'visit', title: 'Visit', fields: ['performedAt', 'practitionerId'] },
  {
    id: 'device',
    title: 'Device and cartridge',
    fields: ['device', 'cartridgeType', 'cartridgeLot', 'numbingLot', 'glideLot'],
  },
  { id: 'depth', title: 'Needle depth', fields: ['zones'] },
  { id: 'technique', title: 'Technique', fields: ['passes', 'speed', 'glide'] },
  {
    id: 'numbing',
    title: 'Numbing',
    fields: ['numbingAgent', 'numbingConcentration', 'numbingMinutes', 'numbingOcclusion', 'numbingArea'],
  },
  { id: 'procedure', title: 'Procedure', fields: ['procedureMinutes'] },
  { id: 'response', title: 'Response', fields: ['pain', 'erythema', 'edema', 'bleeding'] },
  { id: 'adverse', title: 'Adverse events', fields: ['adverseEvents'] },
  { id: 'aftercare', title: 'Aftercare', fields: ['aftercare'] },
  {
    id: 'outcome',
    title: 'Outcome',
    fields: [
      'gaisPractitioner',
      'gaisClient',
      'satisfaction',
      'lipFullnessUpper',
      'lipFullnessLower',
      'goodmanBaron',
    ],
  },
  { id: 'consent', title: 'Consent and notes', fields: ['consentProcedure', 'photoConsent', 'notes'] },
] as const satisfies readonly { id: string; title: string; fields: readonly (keyof FormValues)[] }[];
export type SectionId = (typeof FORM_SECTIONS)[number]['id'];

/** The section a form field ("zones.1.depth", "adverseEvents.0.kind", "pain") is in. */
export function sectionOf(field: string): SectionId | null {
  const head = field.split('.')[0] ?? '';
  return FORM_SECTIONS.find((s) => (s.fields as readonly string[]).includes(head))?.id ?? null;
}

export interface SectionStatus {
  /** Something was entered (a default such as "None" for photo consent does not count). */
  filled: boolean;
  warnings: number;
  error: boolean;
}

function hasContent(key: keyof FormValues, v: FormValues): boolean {
  if (key === 'zones') return v.zones.some((z) => z.depth.trim() !== '');
  if (key === 'photoConsent') return v.photoConsent !== 'none';
  if (key === 'numbingAgent') return v.numbingAgent !== 'none';
  const value = v[key];
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.length > 0;
  return typeof value === 'string' && value.trim() !== '';
}

/** For each section: whether it holds anything, how many live warnings, and whether a save error points into it. */
export function sectionStatus(
  v: FormValues,
  warnings: readonly LiveWarning[],
  errorFields: readonly string[],
): Record<SectionId, SectionStatus> {
  const out = {} as Record<SectionId, SectionStatus>;
  for (const s of FORM_SECTIONS) {
    out[s.id] = {
      filled: s.fields.some((f) => hasContent(f, v)),
      warnings: warnings.filter((w) => sectionOf(w.field) === s.id).length,
      error: errorFields.some((f) => sectionOf(f) === s.id),
    };
  }
  return out;
}
