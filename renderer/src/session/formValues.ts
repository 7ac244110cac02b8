import {
  ZONES_FOR_AREA,
  type AdverseEventKind,
  type Aftercare,
  type Area,
  type NumbingAgent,
  type Zone,
} from '../../../contract/domain.js';

/**
 * The session form as plain data: every control's value as the control holds it, what carries
 * forward from one session to the next, and what a draft keeps. The rules about these values live
 * beside it by noun: formDates, formDefaults, formRanges, formSections, formConversion, formTimers,
 * formDrafts. No React, no DOM: tested under Node (tests/component/sessionForm.test.ts).
 */

export type PhotoConsent = 'none' | 'record' | 'teaching' | 'marketing';
export type Severity = 'mild' | 'moderate' | 'severe';

export interface ZoneRow {
  zone: Zone;
  /** As typed, in mm. */
  depth: string;
  /** The zone's passes as typed; "" or absent when not recorded (rows from before passes per zone). */
  passes?: string;
}

export interface AdverseRow {
  /** Local identity for React lists; never sent. */
  key: string;
  kind: AdverseEventKind | '';
  severity: Severity | '';
  onsetOn: string;
  resolvedOn: string;
  notes: string;
}

/** Every control's value as the control holds it: numbers as typed text, "" for nothing. */
export interface FormValues {
  performedAt: string;
  practitionerId: string;
  device: string;
  cartridgeType: string;
  cartridgeLot: string;
  numbingLot: string;
  glideLot: string;
  zones: ZoneRow[];
  passes: string;
  speed: string;
  glide: string;
  numbingAgent: NumbingAgent;
  numbingConcentration: string;
  numbingMinutes: string;
  numbingOcclusion: boolean;
  numbingArea: string;
  procedureMinutes: string;
  pain: string;
  erythema: string;
  edema: string;
  bleeding: string;
  aftercare: Aftercare[];
  gaisPractitioner: string;
  gaisClient: string;
  satisfaction: string;
  lipFullnessUpper: string;
  lipFullnessLower: string;
  goodmanBaron: string;
  consentProcedure: boolean;
  photoConsent: PhotoConsent;
  notes: string;
  adverseEvents: AdverseRow[];
}

/** Start times (epoch ms) of the running timers; kept in the draft so they survive a reload. */
export interface Timers {
  numbingStartedAt: number | null;
  procedureStartedAt: number | null;
}

export const NO_TIMERS: Timers = { numbingStartedAt: null, procedureStartedAt: null };

/** The fields that carry from one session of a course to the next. */
export const CARRIED_FIELDS = [
  'device',
  'cartridgeType',
  'cartridgeLot',
  'numbingLot',
  'glideLot',
  'zones',
  'passes',
  'speed',
  'glide',
  'numbingAgent',
  'numbingConcentration',
  'numbingOcclusion',
  'numbingArea',
  'aftercare',
] as const satisfies readonly (keyof FormValues)[];
export type CarriedField = (typeof CARRIED_FIELDS)[number];
type CarriedValues = Pick<FormValues, CarriedField>;

/** What the log form starts from, and where it came from. */
export interface FormStart {
  values: FormValues;
  /** Number of the session values were carried from; null for a course's first session. */
  carriedFrom: number | null;
  /** Fields that hold a value carried from that session. */
  carried: CarriedField[];
  /** The carried values as they came, so a field typed over loses its mark (carriedMarks). */
  origin: CarriedValues;
}

/** What a draft holds: enough to rebuild the form exactly, running timers included. */
export interface DraftData {
  version: 1;
  values: FormValues;
  timers: Timers;
  carriedFrom: number | null;
  carried: CarriedField[];
  origin: CarriedValues;
}

export function carriedValuesOf(v: FormValues): CarriedValues {
  return Object.fromEntries(CARRIED_FIELDS.map((f) => [f, v[f]])) as CarriedValues;
}

const LIP_ZONES: ReadonlySet<Zone> = new Set(ZONES_FOR_AREA.lips_perioral);

/** Whether the form offers lip-only items (the lip fullness scores, "Keep lips moisturised"). */
export function involvesLips(area: Area, zones: readonly ZoneRow[]): boolean {
  return area === 'lips_perioral' || zones.some((z) => LIP_ZONES.has(z.zone));
}
