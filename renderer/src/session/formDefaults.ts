import { ZONES_FOR_AREA, type Area, type NumbingAgent, type Zone } from '../../../contract/domain.js';
import type { Session } from '../../../contract/schemas.js';
import { isoToLocalInput, toLocalInput } from './formDates.js';
import {
  CARRIED_FIELDS,
  carriedValuesOf,
  type CarriedField,
  type FormStart,
  type FormValues,
  type ZoneRow,
} from './formValues.js';

/** What the form starts from: a first session, the previous session carried forward, or a saved one. */

export interface StartContext {
  area: Area;
  now: Date;
  practitionerId: string;
  defaultNumbingAgent: NumbingAgent;
}

/** A course's first session: the area's zones with empty depths, numbing from settings. */
export function firstSessionValues(ctx: StartContext): FormValues {
  return {
    performedAt: toLocalInput(ctx.now),
    practitionerId: ctx.practitionerId,
    device: '',
    cartridgeType: '',
    cartridgeLot: '',
    numbingLot: '',
    glideLot: '',
    zones: ZONES_FOR_AREA[ctx.area].map((zone) => ({ zone, depth: '' })),
    passes: '',
    speed: '',
    glide: '',
    numbingAgent: ctx.defaultNumbingAgent,
    numbingConcentration: '',
    numbingMinutes: '',
    numbingOcclusion: false,
    numbingArea: '',
    procedureMinutes: '',
    pain: '',
    erythema: '',
    edema: '',
    bleeding: '',
    aftercare: [],
    gaisPractitioner: '',
    gaisClient: '',
    satisfaction: '',
    lipFullnessUpper: '',
    lipFullnessLower: '',
    goodmanBaron: '',
    consentProcedure: false,
    photoConsent: 'none',
    notes: '',
    adverseEvents: [],
  };
}

const numText = (n: number | null): string => (n === null ? '' : String(n));

/** A saved zone as the form's row: its depth, and its passes when they were recorded. */
const zoneRowOf = (z: Session['zones'][number]): ZoneRow =>
  z.passes === undefined
    ? { zone: z.zone, depth: String(z.depthMm) }
    : { zone: z.zone, depth: String(z.depthMm), passes: String(z.passes) };

/**
 * The next session of a course starts from the previous one's technique: device, cartridge, lots, zones
 * with their depths and passes, numbing, passes, speed, glide and aftercare. What describes this visit only (time,
 * numbing and procedure minutes, pain, skin response, scores, consent, notes, adverse events) does not.
 */
export function startValues(ctx: StartContext, previous: Session | null): FormStart {
  const base = firstSessionValues(ctx);
  if (!previous) return { values: base, carriedFrom: null, carried: [], origin: carriedValuesOf(base) };
  const values: FormValues = {
    ...base,
    device: previous.device,
    cartridgeType: previous.cartridgeType,
    cartridgeLot: previous.cartridgeLot,
    numbingLot: previous.numbingLot,
    glideLot: previous.glideLot,
    zones: previous.zones.length ? previous.zones.map(zoneRowOf) : base.zones,
    passes: numText(previous.passes),
    speed: numText(previous.speed),
    glide: previous.glide,
    numbingAgent: previous.numbingAgent,
    numbingConcentration: previous.numbingConcentration,
    numbingOcclusion: previous.numbingOcclusion,
    numbingArea: previous.numbingArea,
    aftercare: [...previous.aftercare],
  };
  const carried = CARRIED_FIELDS.filter((f) => {
    const v = values[f];
    if (f === 'zones') return previous.zones.length > 0;
    if (f === 'numbingAgent') return true;
    if (typeof v === 'boolean') return v;
    return Array.isArray(v) ? v.length > 0 : v !== '';
  });
  return { values, carriedFrom: previous.number, carried, origin: carriedValuesOf(values) };
}

/** Which carried fields (and which zones' depths) still hold the value carried forward. */
export interface CarriedMarks {
  fields: CarriedField[];
  zones: Zone[];
}

export const NO_MARKS: CarriedMarks = { fields: [], zones: [] };

/**
 * The carried-forward marks for the form as it is now: a field keeps its mark while it holds the
 * value it was carried with, and loses it (that field only) once something else is typed or chosen.
 * Each zone's depth is marked on its own.
 */
export function carriedMarks(start: Omit<FormStart, 'values'>, v: FormValues): CarriedMarks {
  if (start.carriedFrom === null) return { fields: [], zones: [] };
  const zones = start.carried.includes('zones')
    ? start.origin.zones
        .filter((o) =>
          v.zones.some(
            (row) => row.zone === o.zone && row.depth === o.depth && (row.passes ?? '') === (o.passes ?? ''),
          ),
        )
        .map((o) => o.zone)
    : [];
  const fields = start.carried.filter((f) =>
    f === 'zones' ? zones.length > 0 : JSON.stringify(v[f]) === JSON.stringify(start.origin[f]),
  );
  return { fields, zones };
}

/** The form of a saved session, for editing it. */
export function valuesFromSession(s: Session): FormValues {
  return {
    performedAt: isoToLocalInput(s.performedAt),
    practitionerId: s.practitionerId,
    device: s.device,
    cartridgeType: s.cartridgeType,
    cartridgeLot: s.cartridgeLot,
    numbingLot: s.numbingLot,
    glideLot: s.glideLot,
    zones: s.zones.map(zoneRowOf),
    passes: numText(s.passes),
    speed: numText(s.speed),
    glide: s.glide,
    numbingAgent: s.numbingAgent,
    numbingConcentration: s.numbingConcentration,
    numbingMinutes: numText(s.numbingMinutes),
    numbingOcclusion: s.numbingOcclusion,
    numbingArea: s.numbingArea,
    procedureMinutes: numText(s.procedureMinutes),
    pain: numText(s.pain),
    erythema: numText(s.erythema),
    edema: numText(s.edema),
    bleeding: numText(s.bleeding),
    aftercare: [...s.aftercare],
    gaisPractitioner: numText(s.gaisPractitioner),
    gaisClient: numText(s.gaisClient),
    satisfaction: numText(s.satisfaction),
    lipFullnessUpper: numText(s.lipFullnessUpper),
    lipFullnessLower: numText(s.lipFullnessLower),
    goodmanBaron: numText(s.goodmanBaron),
    consentProcedure: s.consentProcedure,
    photoConsent: s.photoConsent,
    notes: s.notes,
    adverseEvents: [],
  };
}
