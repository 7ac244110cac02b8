import {
  NO_TIMERS,
  carriedValuesOf,
  type DraftData,
  type FormStart,
  type FormValues,
  type Timers,
} from './formValues.js';

/** Drafts: the form saved as it is, running timers included, and read back only if this version can. */

export function toDraft(start: Omit<FormStart, 'values'>, values: FormValues, timers: Timers): DraftData {
  return {
    version: 1,
    values,
    timers,
    carriedFrom: start.carriedFrom,
    carried: start.carried,
    origin: start.origin,
  };
}

/** A stored draft, if it is one this version of the form can restore; anything else → null. */
export function fromDraft(data: unknown): DraftData | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Partial<DraftData>;
  if (d.version !== 1 || typeof d.values !== 'object' || d.values === null) return null;
  if (!Array.isArray(d.values.zones) || !Array.isArray(d.values.aftercare)) return null;
  const timers = d.timers ?? NO_TIMERS;
  const values: FormValues = {
    ...d.values,
    // Drafts saved before the numbing and glide lots existed lack them.
    numbingLot: typeof d.values.numbingLot === 'string' ? d.values.numbingLot : '',
    glideLot: typeof d.values.glideLot === 'string' ? d.values.glideLot : '',
    adverseEvents: Array.isArray(d.values.adverseEvents) ? d.values.adverseEvents : [],
  };
  // A draft from before origins were kept: what it holds counts as carried, as it did then.
  const origin =
    typeof d.origin === 'object' && d.origin !== null && Array.isArray(d.origin.zones)
      ? d.origin
      : carriedValuesOf(values);
  return {
    version: 1,
    values,
    origin,
    timers: {
      numbingStartedAt: typeof timers.numbingStartedAt === 'number' ? timers.numbingStartedAt : null,
      procedureStartedAt: typeof timers.procedureStartedAt === 'number' ? timers.procedureStartedAt : null,
    },
    carriedFrom: typeof d.carriedFrom === 'number' ? d.carriedFrom : null,
    carried: Array.isArray(d.carried) ? d.carried : [],
  };
}
