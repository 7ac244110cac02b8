import type { FormValues } from './formValues.js';
import { GAIS_LABELS } from './history.js';
import type { ScaleProps } from './widgets/Scale.js';

const SKIN_LABELS: Record<number, string> = { 0: 'None', 1: 'Mild', 2: 'Moderate', 3: 'Marked' };

/** The scored fields: each drawn as a row of big radio tiles from min to max. */
export const SCALES = {
  pain: { label: 'Pain', hint: '0 no pain – 10 worst imaginable', min: 0, max: 10 },
  erythema: { label: 'Erythema', min: 0, max: 3, labels: SKIN_LABELS },
  edema: { label: 'Edema', min: 0, max: 3, labels: SKIN_LABELS },
  bleeding: { label: 'Pinpoint bleeding', min: 0, max: 3, labels: SKIN_LABELS },
  gaisPractitioner: { label: 'GAIS (practitioner)', min: 1, max: 5, labels: GAIS_LABELS },
  gaisClient: { label: 'GAIS (client)', min: 1, max: 5, labels: GAIS_LABELS },
  satisfaction: {
    label: 'Client satisfaction',
    hint: '0 not at all – 10 completely satisfied',
    min: 0,
    max: 10,
  },
  lipFullnessUpper: { label: 'Upper lip fullness', hint: '1 very thin – 5 very full', min: 1, max: 5 },
  lipFullnessLower: { label: 'Lower lip fullness', hint: '1 very thin – 5 very full', min: 1, max: 5 },
  goodmanBaron: { label: 'Goodman & Baron grade', hint: '1 macular – 4 severe', min: 1, max: 4 },
} satisfies Record<string, Omit<ScaleProps, 'field' | 'value' | 'onChange' | 'error' | 'vertical'>>;
export type ScaleField = keyof typeof SCALES & keyof FormValues;
