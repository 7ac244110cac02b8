import {
  ZONES_FOR_AREA,
  effectiveDepthRange,
  type AdverseEventKind,
  type Aftercare,
  type Area,
  type DepthRange,
  type Indication,
  type NumbingAgent,
  type Zone,
} from '../../../contract/domain.js';
import { localDateTimeInput, localDay } from '../../../contract/format.js';
import type { Course, Session, SessionCreate, SessionInput, Settings } from '../../../contract/schemas.js';
import {
  beyondPlanWarning,
  depthWarning as depthWarning_,
  intervalWarning,
  numbingWarning,
  type ClinicalWarning,
  type NumberText,
} from '../../../contract/warnings.js';

/**
 * The session form as plain data, and every rule about it that is not drawing: defaults,
 * carry-forward, ranges, conversion to the API's input, edit patches, timers and error fields.
 * No React, no DOM: tested under Node (tests/component/sessionForm.test.ts).
 */

export type PhotoConsent = 'none' | 'record' | 'teaching' | 'marketing';
export type Severity = 'mild' | 'moderate' | 'severe';

export interface ZoneRow {
  zone: Zone;
  /** As typed, in mm. */
  depth: string;
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
export type CarriedValues = Pick<FormValues, CarriedField>;

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

function carriedValuesOf(v: FormValues): CarriedValues {
  return Object.fromEntries(CARRIED_FIELDS.map((f) => [f, v[f]])) as CarriedValues;
}

// ---------- dates ----------

/** The value of a datetime-local input for an instant, in the machine's time zone. */
export const toLocalInput = localDateTimeInput;

export function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : toLocalInput(d);
}

/** A datetime-local value (local time) as an ISO instant; "" (or nonsense) passes through for the API to name. */
export function localInputToIso(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** The value of a date input for the clinic's day of `now`. */
export const todayInput = (now: Date): string => localDay(now);

// ---------- defaults and carry-forward ----------

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

/**
 * The next session of a course starts from the previous one's technique: device, cartridge, lots, zones
 * and depths, numbing, passes, speed, glide and aftercare. What describes this visit only (time,
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
    zones: previous.zones.length
      ? previous.zones.map((z) => ({ zone: z.zone, depth: String(z.depthMm) }))
      : base.zones,
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
        .filter((o) => v.zones.some((row) => row.zone === o.zone && row.depth === o.depth))
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
    zones: s.zones.map((z) => ({ zone: z.zone, depth: String(z.depthMm) })),
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

// ---------- ranges ----------

export function depthRangeFor(
  zone: Zone,
  indication: Indication,
  settings: Pick<Settings, 'depthRanges' | 'indicationDepthRanges'>,
): DepthRange {
  return effectiveDepthRange(zone, indication, settings.depthRanges, settings.indicationDepthRanges);
}

export { rangeHint } from '../../../contract/warnings.js';

/** A number as typed, or null when it is empty or unreadable (the contract names those on save). */
function typedNumber(typed: string): number | null {
  const n = parseDecimal(typed);
  return typeof n === 'number' ? n : null;
}

/**
 * The live warning for a typed depth (the rule the saved result uses, contract/warnings.ts), or
 * null when it is empty, unreadable or inside the range.
 */
export function depthWarning(
  zone: Zone,
  typed: string,
  range: DepthRange,
  row = 0,
  num?: NumberText,
): ClinicalWarning | null {
  const mm = typedNumber(typed);
  return mm === null ? null : depthWarning_(zone, mm, range, row, num);
}

/** A live warning and the form field it belongs to ("zones.0.depth", "numbingMinutes", "performedAt"). */
export interface LiveWarning {
  field: string;
  warning: ClinicalWarning;
}

export interface LiveContext {
  course: Pick<Course, 'indication' | 'plannedSessions'>;
  settings: Pick<Settings, 'depthRanges' | 'indicationDepthRanges'>;
  /** When the course's previous session was (log form only); null: not checked. */
  previousAt: string | null;
  /** The number this session will have (log form only); null: not checked. */
  sessionNumber: number | null;
  num?: NumberText;
}

/** Every clinical warning for the form as typed, by the same rules as the saved result. */
export function liveWarnings(v: FormValues, ctx: LiveContext): LiveWarning[] {
  const out: LiveWarning[] = [];
  v.zones.forEach((row, i) => {
    const w = depthWarning(
      row.zone,
      row.depth,
      depthRangeFor(row.zone, ctx.course.indication, ctx.settings),
      i,
      ctx.num,
    );
    if (w) out.push({ field: `zones.${i}.depth`, warning: w });
  });
  const numbing = numbingWarning(typedNumber(v.numbingMinutes), ctx.num);
  if (numbing) out.push({ field: 'numbingMinutes', warning: numbing });
  const at = localInputToIso(v.performedAt);
  const interval =
    ctx.previousAt && !Number.isNaN(Date.parse(at)) ? intervalWarning(at, ctx.previousAt) : null;
  if (interval) out.push({ field: 'performedAt', warning: interval });
  const plan =
    ctx.sessionNumber === null ? null : beyondPlanWarning(ctx.sessionNumber, ctx.course.plannedSessions);
  if (plan) out.push({ field: 'performedAt', warning: plan });
  return out;
}

// ---------- sections ----------

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
  errorField: string | null,
): Record<SectionId, SectionStatus> {
  const out = {} as Record<SectionId, SectionStatus>;
  for (const s of FORM_SECTIONS) {
    out[s.id] = {
      filled: s.fields.some((f) => hasContent(f, v)),
      warnings: warnings.filter((w) => sectionOf(w.field) === s.id).length,
      error: errorField !== null && sectionOf(errorField) === s.id,
    };
  }
  return out;
}

// ---------- conversion to the API's input ----------

/**
 * Text to a number: "" → null, "0,5" → 0.5. Text that is not a number is passed on as it is, so the
 * contract answers with its own message ("Passes must be a whole number…") next to the field.
 */
export function parseDecimal(s: string): number | string | null {
  const t = s.trim().replace(',', '.');
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : s;
}

// The contract types these as numbers; an unreadable entry is sent as typed so its message names it.
const num = (s: string) => parseDecimal(s) as number | null;

export interface Converted<T> {
  input: T;
  /** For each zone sent, the row of the form it came from (rows left empty are not sent). */
  zoneRows: number[];
}

/** The session fields as the API takes them (without courseId), from the form. */
export function toSessionFields(v: FormValues): Converted<Omit<SessionInput, 'courseId'>> {
  const zoneRows: number[] = [];
  const zones: { zone: Zone; depthMm: number }[] = [];
  v.zones.forEach((row, i) => {
    if (row.depth.trim() === '') return;
    zoneRows.push(i);
    zones.push({ zone: row.zone, depthMm: num(row.depth) as number });
  });
  return {
    zoneRows,
    input: {
      practitionerId: v.practitionerId,
      performedAt: localInputToIso(v.performedAt),
      device: v.device,
      cartridgeType: v.cartridgeType,
      cartridgeLot: v.cartridgeLot,
      numbingLot: v.numbingLot,
      glideLot: v.glideLot,
      zones,
      passes: num(v.passes),
      speed: num(v.speed),
      glide: v.glide,
      numbingAgent: v.numbingAgent,
      numbingConcentration: v.numbingAgent === 'other' ? v.numbingConcentration : '',
      numbingMinutes: num(v.numbingMinutes),
      numbingOcclusion: v.numbingOcclusion,
      numbingArea: v.numbingArea,
      procedureMinutes: num(v.procedureMinutes),
      pain: num(v.pain),
      erythema: num(v.erythema),
      edema: num(v.edema),
      bleeding: num(v.bleeding),
      aftercare: v.aftercare,
      gaisPractitioner: num(v.gaisPractitioner),
      gaisClient: num(v.gaisClient),
      satisfaction: num(v.satisfaction),
      lipFullnessUpper: num(v.lipFullnessUpper),
      lipFullnessLower: num(v.lipFullnessLower),
      goodmanBaron: num(v.goodmanBaron),
      consentProcedure: v.consentProcedure,
      photoConsent: v.photoConsent,
      notes: v.notes,
    },
  };
}

/** `sessions.create`'s input: the session and its adverse events, saved together. */
export function toCreateInput(courseId: string, v: FormValues): Converted<SessionCreate> {
  const { input, zoneRows } = toSessionFields(v);
  return {
    zoneRows,
    input: {
      courseId,
      ...input,
      adverseEvents: v.adverseEvents.map((e) => ({
        kind: e.kind as AdverseEventKind,
        severity: e.severity as Severity,
        onsetOn: e.onsetOn,
        resolvedOn: e.resolvedOn === '' ? null : e.resolvedOn,
        notes: e.notes,
      })),
    },
  };
}

type SessionPatch = Partial<Omit<SessionInput, 'courseId'>>;

/** What an edit changed: only the fields whose value differs from the saved session. */
export function computePatch(saved: Session, v: FormValues): Converted<SessionPatch> {
  const { input, zoneRows } = toSessionFields(v);
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const before = (saved as unknown as Record<string, unknown>)[key];
    const same =
      key === 'performedAt'
        ? typeof value === 'string' && Date.parse(value) === Date.parse(saved.performedAt)
        : JSON.stringify(value) === JSON.stringify(before);
    if (!same) patch[key] = value;
  }
  return { input: patch as SessionPatch, zoneRows };
}

// ---------- errors and warnings ----------

/**
 * The form field an API error or warning belongs to: "patch.zones.0.depthMm" → "zones.<row>.depth"
 * (the row of the form, which differs when empty rows were left out), "pain" → "pain",
 * "adverseEvents.1.resolvedOn" stays. Unknown fields → null (shown in the summary only).
 */
export function formFieldOf(apiField: string | undefined, zoneRows: readonly number[] = []): string | null {
  if (!apiField) return null;
  const path = apiField.replace(/^patch\./, '');
  const parts = path.split('.');
  const head = parts[0] ?? '';
  if (head === 'zones') {
    if (parts.length >= 2 && /^\d+$/.test(parts[1] ?? '')) {
      const i = Number(parts[1]);
      return `zones.${zoneRows[i] ?? i}.depth`;
    }
    return 'zones.0.depth';
  }
  if (head === 'adverseEvents') {
    return parts.length >= 3 ? `adverseEvents.${parts[1]}.${parts[2]}` : 'adverseEvents';
  }
  if (head === 'aftercare') return 'aftercare';
  return sectionOf(head) !== null ? head : null;
}

/** The id of the control for a form field, so errors can point at it and focus it. */
export function controlId(field: string): string {
  return `sf-${field.replace(/\./g, '-')}`;
}

// ---------- timers ----------

/** Whole minutes between a start and now, to the nearest minute, never negative. */
export function elapsedMinutes(startedAt: number, now: number): number {
  return Math.max(0, Math.round((now - startedAt) / 60_000));
}

/** "4:05" (minutes:seconds) or "1:02:09" past an hour, for the live display. */
export function formatElapsed(startedAt: number, now: number): string {
  const total = Math.max(0, Math.floor((now - startedAt) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

// ---------- drafts ----------

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

const LIP_ZONES: ReadonlySet<Zone> = new Set(ZONES_FOR_AREA.lips_perioral);

/** Whether the form offers lip-only items (the lip fullness scores, "Keep lips moisturised"). */
export function involvesLips(area: Area, zones: readonly ZoneRow[]): boolean {
  return area === 'lips_perioral' || zones.some((z) => LIP_ZONES.has(z.zone));
}
