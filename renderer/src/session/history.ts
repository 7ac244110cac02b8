import {
  ADVERSE_EVENT_KINDS,
  AFTERCARE,
  AREAS,
  ZONES,
  CONTRAINDICATIONS,
  INDICATIONS,
  NUMBING_AGENTS,
  PHOTO_VIEWS,
  zoneLabel,
} from '../../../contract/domain.js';
import { SESSION_FIELD_LABELS } from '../../../contract/fieldLabels.js';
import { fmt } from '../format.js';

/**
 * Turns audit entries (full before/after snapshots) into lines a practitioner reads:
 * "Needle depth, Lips / perioral: 0.4 → 0.5 mm". Pure, so it is tested under Node.
 */

export type AuditAction = 'create' | 'update' | 'delete' | 'restore';

export interface Change {
  /** Stable key for React lists and tests, e.g. "zones.lips_perioral". */
  key: string;
  label: string;
  before: string;
  after: string;
}

/** Fields that say nothing about the clinical content, or are shown some other way. */
const IGNORED = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'number',
  'practitionerId',
  'courseId',
  'clientId',
  'sessionId',
  'sessionCount',
  'lastSessionAt',
  'nextDueOn',
  'overdue',
  'currentPractitionerId',
]);

const FIELD_LABELS: Record<string, string> = {
  ...SESSION_FIELD_LABELS,
  // clients
  firstName: 'First name',
  lastName: 'Last name',
  dateOfBirth: 'Date of birth',
  phone: 'Phone',
  email: 'Email',
  fitzpatrick: 'Fitzpatrick skin type',
  contraindications: 'Contraindications',
  contraindicationNotes: 'Contraindication notes',
  // courses
  area: 'Treatment area',
  indication: 'Indication',
  plannedSessions: 'Planned sessions',
  plannedIntervalDays: 'Planned interval',
  status: 'Status',
  startedOn: 'Start date',
  // adverse events
  kind: 'Adverse event',
  severity: 'Severity',
  onsetOn: 'Onset date',
  resolvedOn: 'Resolved date',
  // practitioners
  name: 'Name',
  credentials: 'Credentials',
  // settings
  clinicName: 'Clinic name',
  defaultNumbingAgent: 'Default numbing agent',
  depthRanges: 'Depth range',
  indicationDepthRanges: 'Depth range',
};

const UNITS: Record<string, string> = {
  numbingMinutes: ' min',
  procedureMinutes: ' min',
  plannedIntervalDays: ' days',
};

const PHOTO_CONSENT_LABELS: Record<string, string> = {
  none: 'None',
  record: 'Record only',
  teaching: 'Teaching',
  marketing: 'Marketing',
};

export const GAIS_LABELS: Record<number, string> = {
  1: 'Very much improved',
  2: 'Much improved',
  3: 'Improved',
  4: 'No change',
  5: 'Worse',
};

const ENUM_LABELS: Record<string, Record<string, string>> = {
  numbingAgent: NUMBING_AGENTS,
  defaultNumbingAgent: NUMBING_AGENTS,
  area: AREAS,
  indication: INDICATIONS,
  kind: ADVERSE_EVENT_KINDS,
  photoConsent: PHOTO_CONSENT_LABELS,
  aftercare: AFTERCARE,
  contraindications: CONTRAINDICATIONS,
};

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI'];

/** "24 Nov 2026, 10:05" in the clinic's locale, on this machine's clock. */
export function formatDateTime(iso: string): string {
  return fmt().dateTime(iso);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** One value as a practitioner reads it; "—" for nothing recorded. */
export function formatValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'None';
    const labels = ENUM_LABELS[field];
    return value.map((v) => (labels && typeof v === 'string' ? (labels[v] ?? v) : String(v))).join(', ');
  }
  if (typeof value === 'string') {
    const labels = ENUM_LABELS[field];
    if (labels) return labels[value] ?? value;
    if (field === 'severity' || field === 'status') return capitalise(value);
    if (field === 'performedAt' || field === 'photoConsentDeclinedAt') return formatDateTime(value);
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return fmt().date(value);
    return value;
  }
  if (typeof value === 'number') {
    if (field === 'fitzpatrick') return `Type ${ROMAN[value - 1] ?? value}`;
    if (field === 'gaisPractitioner' || field === 'gaisClient') {
      return GAIS_LABELS[value] ? `${value} (${GAIS_LABELS[value]})` : String(value);
    }
    return `${fmt().number(value)}${UNITS[field] ?? ''}`;
  }
  return JSON.stringify(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Zone → one number of each zone of a stored zones list (its depth, or its passes when recorded). */
function zoneMap(v: unknown, key: 'depthMm' | 'passes' = 'depthMm'): Map<string, number> {
  const m = new Map<string, number>();
  if (Array.isArray(v)) {
    for (const z of v) {
      if (isRecord(z) && typeof z.zone === 'string' && typeof z[key] === 'number') m.set(z.zone, z[key]);
    }
  }
  return m;
}

function viewsText(v: unknown): string {
  if (!Array.isArray(v) || v.length === 0) return '—';
  return v.map((view) => PHOTO_VIEWS[view as keyof typeof PHOTO_VIEWS] ?? String(view)).join(', ');
}

function rangeText(v: unknown): string {
  return isRecord(v) && typeof v.min === 'number' && typeof v.max === 'number'
    ? `${fmt().number(v.min)}–${fmt().mm(v.max)}`
    : '—';
}

/** The per-field differences between two snapshots of a record, in the order of the fields. */
export function diffRecords(before: unknown, after: unknown): Change[] {
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const changes: Change[] = [];
  for (const key of keys) {
    if (IGNORED.has(key) || same(b[key], a[key])) continue;
    if (key === 'zones') {
      const zb = zoneMap(b[key]);
      const za = zoneMap(a[key]);
      const pb = zoneMap(b[key], 'passes');
      const pa = zoneMap(a[key], 'passes');
      for (const zone of new Set([...zb.keys(), ...za.keys()])) {
        const x = zb.get(zone);
        const y = za.get(zone);
        if (x !== y) {
          changes.push({
            key: `zones.${zone}`,
            label: `Needle depth, ${zoneLabel(zone)}`,
            before: x === undefined ? '—' : fmt().mm(x),
            after: y === undefined ? '—' : fmt().mm(y),
          });
        }
        const p = pb.get(zone);
        const q = pa.get(zone);
        if (p !== q) {
          changes.push({
            key: `zones.${zone}.passes`,
            label: `Passes, ${zoneLabel(zone)}`,
            before: p === undefined ? '—' : fmt().passes(p),
            after: q === undefined ? '—' : fmt().passes(q),
          });
        }
      }
      continue;
    }
    if (key === 'depthRanges' || key === 'indicationDepthRanges' || key === 'photoSets') {
      const rb = isRecord(b[key]) ? b[key] : {};
      const ra = isRecord(a[key]) ? a[key] : {};
      // Depth ranges are keyed by zone (older audit rows: by area), photo sets by area.
      const names: Record<string, string> =
        key === 'indicationDepthRanges' ? INDICATIONS : { ...AREAS, ...ZONES };
      const [what, show] = key === 'photoSets' ? ['Photo set', viewsText] : ['Depth range', rangeText];
      for (const k of new Set([...Object.keys(rb), ...Object.keys(ra)])) {
        if (same(rb[k], ra[k])) continue;
        changes.push({
          key: `${key}.${k}`,
          label: `${what}, ${names[k] ?? k}`,
          before: show(rb[k]),
          after: show(ra[k]),
        });
      }
      continue;
    }
    changes.push({
      key,
      label: FIELD_LABELS[key] ?? key,
      before: formatValue(key, b[key]),
      after: formatValue(key, a[key]),
    });
  }
  return changes;
}

const ENTITY_NAMES: Record<string, string> = {
  client: 'Client',
  course: 'Course',
  session: 'Session',
  adverse_event: 'Adverse event',
  practitioner: 'Practitioner',
  settings: 'Settings',
};

/** "Session created", "Client deleted", "Course restored", "Settings changed". */
export function actionTitle(entity: string, action: AuditAction): string {
  const name = ENTITY_NAMES[entity] ?? 'Record';
  switch (action) {
    case 'create':
      return `${name} created`;
    case 'update':
      return `${name} changed`;
    case 'delete':
      return `${name} deleted`;
    case 'restore':
      return `${name} restored`;
  }
}
