import type { AdverseEventKind, Zone } from '../../../contract/domain.js';
import type { Session, SessionCreate, SessionInput } from '../../../contract/schemas.js';
import { localInputToIso } from './formDates.js';
import { sectionOf } from './formSections.js';
import type { AdverseRow, FormValues, Severity } from './formValues.js';

/** The form as the API takes it (create, edit patch), and the API's field paths back to the form's. */

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

interface Converted<T> {
  input: T;
  /** For each zone sent, the row of the form it came from (rows left empty are not sent). */
  zoneRows: number[];
}

/** The session fields as the API takes them (without courseId), from the form. */
export function toSessionFields(v: FormValues): Converted<Omit<SessionInput, 'courseId'>> {
  const zoneRows: number[] = [];
  const zones: { zone: Zone; depthMm: number; passes?: number }[] = [];
  v.zones.forEach((row, i) => {
    if (row.depth.trim() === '') return;
    zoneRows.push(i);
    const passes = num(row.passes ?? '');
    zones.push({ zone: row.zone, depthMm: num(row.depth) as number, ...(passes === null ? {} : { passes }) });
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
      adverseEvents: toAdverseEvents(v.adverseEvents),
    },
  };
}

/** New adverse events as the API takes them; a choice left empty is sent as it is, for the contract to name. */
export function toAdverseEvents(rows: readonly AdverseRow[]): NonNullable<SessionCreate['adverseEvents']> {
  return rows.map((e) => ({
    kind: e.kind as AdverseEventKind,
    severity: e.severity as Severity,
    onsetOn: e.onsetOn,
    resolvedOn: e.resolvedOn === '' ? null : e.resolvedOn,
    notes: e.notes,
  }));
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

/**
 * The form field an API error or warning belongs to: "patch.zones.0.depthMm" → "zones.<row>.depth"
 * (the row of the form, which differs when empty rows were left out), "zones.0.passes" →
 * "zones.<row>.passes", "pain" → "pain",
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
      return `zones.${zoneRows[i] ?? i}.${parts[2] === 'passes' ? 'passes' : 'depth'}`;
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
