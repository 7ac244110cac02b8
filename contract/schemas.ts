import { z } from 'zod';
import { canonicalLocale } from './format.js';
import {
  ADVERSE_EVENT_KIND_KEYS,
  AFTERCARE_KEYS,
  AREA_KEYS,
  CONTRAINDICATION_KEYS,
  COURSE_STATUSES,
  DEPTH_HARD_MAX_MM,
  DEPTH_HARD_MIN_MM,
  INDICATION_KEYS,
  MAX_LOT_LENGTH,
  MAX_SESSION_PASSES,
  MAX_ZONE_PASSES,
  MAX_PHOTO_BYTES,
  IDLE_LOCK_MINUTES,
  PHOTO_KIND_KEYS,
  PHOTO_VIEW_KEYS,
  NUMBING_AGENT_KEYS,
  PHOTO_CONSENTS,
  PHOTO_CONSENT_SCOPE_KEYS,
  type PhotoConsentScope,
  SEVERITIES,
  ZONE_KEYS,
} from './domain.js';
import { Role } from './auth.js';
import {
  choice,
  dateOnly,
  instant,
  notes,
  optionalWholeNumber,
  patchOf,
  recordId,
  requiredText,
  text,
  typeError,
  wholeNumber,
} from './fields.js';

const id = recordId;

const timestamps = {
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
};

// ---------- practitioners ----------
export const PractitionerInput = z.strictObject({
  name: requiredText('Name', 200),
  credentials: text('Credentials', 200).default(''),
  role: Role.default('practitioner'),
});
export const PractitionerUpdate = z.strictObject({ id, patch: patchOf(PractitionerInput) });
export const Practitioner = z.object({
  id: z.string(),
  name: z.string(),
  credentials: z.string(),
  role: Role,
  ...timestamps,
});

// ---------- clients ----------
const clientFields = {
  firstName: requiredText('First name', 200),
  lastName: text('Last name', 200).default(''),
  dateOfBirth: dateOnly('Date of birth').nullable().default(null),
  phone: text('Phone', 100).default(''),
  email: text('Email', 320).default(''),
  fitzpatrick: optionalWholeNumber('Fitzpatrick skin type', 1, 6),
  contraindications: z
    .array(choice('Contraindication', CONTRAINDICATION_KEYS), { error: 'Contraindications must be a list.' })
    .max(CONTRAINDICATION_KEYS.length)
    .transform((xs) => [...new Set(xs)])
    .default([]),
  contraindicationNotes: notes('Contraindication notes', 5000).default(''),
  notes: notes('Notes', 20000).default(''),
};
export const ClientInput = z.strictObject(clientFields);
export const ClientUpdate = z.strictObject({ id, patch: patchOf(ClientInput) });
export const Client = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: z.string().nullable(),
  phone: z.string(),
  email: z.string(),
  fitzpatrick: z.number().nullable(),
  contraindications: z.array(z.enum(CONTRAINDICATION_KEYS)),
  contraindicationNotes: z.string(),
  notes: z.string(),
  ...timestamps,
});
export const ClientListItem = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: z.string().nullable(),
  fitzpatrick: z.number().nullable(),
  hasContraindications: z.boolean(),
  activeCourses: z.number(),
  lastSessionAt: z.string().nullable(),
});
export const ClientListQuery = z.strictObject({
  query: text('Search', 200).default(''),
  limit: wholeNumber('Limit', 1, 500).default(100),
  offset: wholeNumber('Offset', 0, 10_000_000).default(0),
  deleted: z.boolean({ error: 'Deleted must be true or false.' }).default(false),
});

// ---------- courses ----------
export const CourseInput = z.strictObject({
  clientId: id,
  area: choice('Treatment area', AREA_KEYS),
  indication: choice('Indication', INDICATION_KEYS),
  plannedSessions: wholeNumber('Planned sessions', 1, 50),
  plannedIntervalDays: wholeNumber('Planned interval (days)', 1, 365),
  startedOn: dateOnly('Start date'),
  notes: notes('Notes', 20000).default(''),
});
export const CourseUpdate = z.strictObject({
  id,
  patch: patchOf(CourseInput.omit({ clientId: true })),
});
export const Course = z.object({
  id: z.string(),
  clientId: z.string(),
  area: z.enum(AREA_KEYS),
  indication: z.enum(INDICATION_KEYS),
  plannedSessions: z.number(),
  plannedIntervalDays: z.number(),
  status: z.enum(COURSE_STATUSES),
  startedOn: z.string(),
  notes: z.string(),
  ...timestamps,
  sessionCount: z.number(),
  lastSessionAt: z.string().nullable(),
  /** The day the next session is due; null once the planned sessions are done or the course is not active. */
  nextDueOn: z.string().nullable(),
  overdue: z.boolean(),
});

// ---------- sessions ----------
/**
 * One treated zone: its needle depth and, when recorded, its passes. A zone's passes are left out
 * (not null) when unknown: sessions recorded before passes were kept per zone have none, and the
 * session's own passes say nothing about any one zone.
 */
export const ZoneDepth = z
  .strictObject({
    zone: choice('Zone', ZONE_KEYS),
    depthMm: z
      .number({ error: typeError('Needle depth', 'must be a number of millimetres.') })
      .min(DEPTH_HARD_MIN_MM, { error: `Needle depth must be at least ${DEPTH_HARD_MIN_MM} mm.` })
      .max(DEPTH_HARD_MAX_MM, { error: `Needle depth must be at most ${DEPTH_HARD_MAX_MM} mm.` })
      .transform((n) => Math.round(n * 100) / 100),
    passes: wholeNumber('Passes', 1, MAX_ZONE_PASSES).nullish(),
  })
  .transform(({ passes, ...z }): ZoneEntry => (passes == null ? z : { ...z, passes }));
/** A zone of a session as stored and read: depth always, passes when recorded. */
export type ZoneEntry = { zone: (typeof ZONE_KEYS)[number]; depthMm: number; passes?: number };
const StoredZone = z.object({
  zone: z.enum(ZONE_KEYS),
  depthMm: z.number(),
  passes: z.number().optional(),
});

const adverseEventFields = {
  kind: choice('Adverse event', ADVERSE_EVENT_KIND_KEYS),
  severity: choice('Severity', SEVERITIES),
  onsetOn: dateOnly('Onset date'),
  resolvedOn: dateOnly('Resolved date').nullable().default(null),
  notes: notes('Notes', 5000).default(''),
};

export const SessionInput = z.strictObject({
  courseId: id,
  practitionerId: id,
  performedAt: instant('Session time'),
  device: text('Device', 200).default(''),
  cartridgeType: text('Cartridge type', 100).default(''),
  cartridgeLot: text('Cartridge lot', MAX_LOT_LENGTH).default(''),
  zones: z
    .array(ZoneDepth, { error: 'Needle depths must be a list of zones.' })
    .min(1, { error: 'Record the needle depth for at least one zone.' })
    .max(ZONE_KEYS.length)
    .refine((zs) => new Set(zs.map((z) => z.zone)).size === zs.length, {
      error: 'Each zone can be listed only once.',
    }),
  passes: optionalWholeNumber('Passes', 0, MAX_SESSION_PASSES),
  speed: optionalWholeNumber('Speed setting', 0, 100),
  glide: text('Glide / serum', 200).default(''),
  glideLot: text('Glide lot', MAX_LOT_LENGTH).default(''),
  numbingAgent: choice('Numbing agent', NUMBING_AGENT_KEYS).default('none'),
  numbingLot: text('Numbing lot', MAX_LOT_LENGTH).default(''),
  numbingConcentration: text('Numbing concentration', 100).default(''),
  numbingMinutes: optionalWholeNumber('Numbing time (minutes)', 0, 240),
  numbingOcclusion: z.boolean({ error: 'Occlusion must be yes or no.' }).default(false),
  numbingArea: text('Numbing area', 200).default(''),
  procedureMinutes: optionalWholeNumber('Duration (minutes)', 0, 600),
  pain: optionalWholeNumber('Pain', 0, 10),
  erythema: optionalWholeNumber('Erythema', 0, 3),
  edema: optionalWholeNumber('Edema', 0, 3),
  bleeding: optionalWholeNumber('Pinpoint bleeding', 0, 3),
  aftercare: z
    .array(choice('Aftercare item', AFTERCARE_KEYS), { error: 'Aftercare must be a list.' })
    .max(AFTERCARE_KEYS.length)
    .transform((xs) => [...new Set(xs)])
    .default([]),
  gaisPractitioner: optionalWholeNumber('GAIS (practitioner)', 1, 5),
  gaisClient: optionalWholeNumber('GAIS (client)', 1, 5),
  satisfaction: optionalWholeNumber('Client satisfaction', 0, 10),
  lipFullnessUpper: optionalWholeNumber('Upper lip fullness', 1, 5),
  lipFullnessLower: optionalWholeNumber('Lower lip fullness', 1, 5),
  goodmanBaron: optionalWholeNumber('Goodman & Baron grade', 1, 4),
  consentProcedure: z.boolean({ error: 'Procedure consent must be yes or no.' }).default(false),
  photoConsent: choice('Photo consent', PHOTO_CONSENTS).default('none'),
  notes: notes('Notes', 20000).default(''),
});
const newAdverseEvents = z
  .array(z.strictObject(adverseEventFields), { error: 'Adverse events must be a list.' })
  .max(20, { error: 'At most 20 adverse events can be saved at once.' })
  .default([]);

/** A new session, with any adverse events noticed during it, saved together in one transaction. */
export const SessionCreate = SessionInput.extend({
  adverseEvents: newAdverseEvents,
  /** Why the session is logged on a course without signed consent on file (kept with the session). */
  consentOverrideReason: notes('Reason for logging without signed consent', 2000).default(''),
});

export const SessionUpdate = z.strictObject({
  id,
  patch: patchOf(SessionInput.omit({ courseId: true })),
  /** Adverse events noticed since the session was saved, added in the same transaction as the edit. */
  adverseEvents: newAdverseEvents,
});
export const Session = z.object({
  id: z.string(),
  courseId: z.string(),
  /** 1-based position within the course, by session time. */
  number: z.number(),
  practitionerId: z.string(),
  practitionerName: z.string(),
  performedAt: z.string(),
  device: z.string(),
  cartridgeType: z.string(),
  cartridgeLot: z.string(),
  zones: z.array(StoredZone),
  passes: z.number().nullable(),
  speed: z.number().nullable(),
  glide: z.string(),
  glideLot: z.string(),
  numbingAgent: z.enum(NUMBING_AGENT_KEYS),
  numbingLot: z.string(),
  numbingConcentration: z.string(),
  numbingMinutes: z.number().nullable(),
  numbingOcclusion: z.boolean(),
  numbingArea: z.string(),
  procedureMinutes: z.number().nullable(),
  pain: z.number().nullable(),
  erythema: z.number().nullable(),
  edema: z.number().nullable(),
  bleeding: z.number().nullable(),
  aftercare: z.array(z.enum(AFTERCARE_KEYS)),
  gaisPractitioner: z.number().nullable(),
  gaisClient: z.number().nullable(),
  satisfaction: z.number().nullable(),
  lipFullnessUpper: z.number().nullable(),
  lipFullnessLower: z.number().nullable(),
  goodmanBaron: z.number().nullable(),
  consentProcedure: z.boolean(),
  photoConsent: z.enum(PHOTO_CONSENTS),
  /** When the client declined photo consent for this session (kept until a scope is recorded). */
  photoConsentDeclinedAt: z.string().nullable(),
  notes: z.string(),
  ...timestamps,
});

/** The client's answer when asked for photo consent before a photo is added: a scope, or declined. */
export const PhotoConsentAnswer = z.strictObject({
  sessionId: id,
  answer: choice('Photo consent', [...PHOTO_CONSENT_SCOPE_KEYS, 'declined'] as [
    PhotoConsentScope | 'declined',
    ...(PhotoConsentScope | 'declined')[],
  ]),
});

// ---------- session drafts ----------
const DRAFT_MAX_BYTES = 256 * 1024;
const DRAFT_MAX_DEPTH = 32;

/** How deeply arrays and objects nest in a value, counted with an explicit stack (no recursion). */
function nestingDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, depth + 1);
    if (max > 1_000) return max;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
}
export const DraftSave = z.strictObject({
  courseId: id,
  /** The form as the practitioner left it, valid or not: it is checked only when saved as a session. */
  data: z
    // Checked without recursion first: z.json() recurses, and a crafted draft nested thousands deep
    // would overflow the stack instead of getting an answer.
    .custom<unknown>((v) => nestingDepth(v) <= DRAFT_MAX_DEPTH, {
      error: 'The draft is nested too deeply to keep.',
    })
    .pipe(z.json({ error: 'A draft must be plain data.' }))
    .refine((v) => JSON.stringify(v).length <= DRAFT_MAX_BYTES, { error: 'The draft is too large to keep.' }),
});
export const Draft = z.object({ courseId: z.string(), data: z.unknown(), updatedAt: z.string() });

// ---------- photos ----------
export const PhotoImport = z.strictObject({
  sessionId: id,
  kind: choice('Photo type', PHOTO_KIND_KEYS),
  view: choice('View', PHOTO_VIEW_KEYS),
  fileName: text('File name', 255).default(''),
  /** The file's bytes: structured-cloned over IPC, sent as the raw request body by the browser host. */
  data: z
    .custom<Uint8Array>((v) => v instanceof Uint8Array, { error: 'The photo file is missing.' })
    .refine((b) => b.byteLength <= MAX_PHOTO_BYTES, {
      error: `The file is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB, too large for a photo.`,
    }),
});
export const Photo = z.object({
  id: z.string(),
  sessionId: z.string(),
  kind: z.enum(PHOTO_KIND_KEYS),
  view: z.enum(PHOTO_VIEW_KEYS),
  sha256: z.string(),
  width: z.number(),
  height: z.number(),
  bytes: z.number(),
  takenAt: z.string().nullable(),
  /** The photo consent scope the photo was filed under; null: filed before consent was asked. */
  consentScope: z.enum(PHOTO_CONSENT_SCOPE_KEYS).nullable(),
  /** When the session the photo belongs to took place, and its number within the course. */
  sessionAt: z.string(),
  sessionNumber: z.number(),
  ...timestamps,
  /** Where the renderer loads the image from: never a file path. */
  urls: z.object({ thumb: z.string(), preview: z.string(), full: z.string() }),
});

// ---------- backups ----------
const recordCounts = z.object({
  clients: z.number(),
  courses: z.number(),
  sessions: z.number(),
  photos: z.number(),
});
export const BackupSummary = z.object({
  /** The file's name inside the data directory's backups folder (never a path). */
  name: z.string(),
  createdAt: z.string(),
  reason: z.enum(['auto', 'quit', 'manual', 'pre-restore', 'pre-encrypt']),
  bytes: z.number(),
  schemaVersion: z.number(),
  counts: recordCounts,
});
export const BackupRestore = z.strictObject({
  name: z
    .string({ error: 'Choose a backup from the list.' })
    .regex(/^needlelog-[0-9TZ-]+-(auto|quit|manual|pre-restore|pre-encrypt)\.sqlite$/, {
      error: 'Choose a backup from the list.',
    }),
});
export const BackupToFolder = z.strictObject({
  folder: requiredText('Folder', 4096).refine((f) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(f), {
    error: 'Give the full path of the folder, e.g. /media/usb-drive or E:\\Backups.',
  }),
});
export const RecordCounts = recordCounts;

// ---------- adverse events ----------
export const AdverseEventInput = z.strictObject({ sessionId: id, ...adverseEventFields });
export const AdverseEventUpdate = z.strictObject({
  id,
  patch: patchOf(AdverseEventInput.omit({ sessionId: true })),
});
export const AdverseEvent = z.object({
  id: z.string(),
  sessionId: z.string(),
  kind: z.enum(ADVERSE_EVENT_KIND_KEYS),
  severity: z.enum(SEVERITIES),
  onsetOn: z.string(),
  resolvedOn: z.string().nullable(),
  notes: z.string(),
  ...timestamps,
});

// ---------- settings ----------
const rangeEnd = (label: string) => {
  const msg = `${label} depth must be from ${DEPTH_HARD_MIN_MM} to ${DEPTH_HARD_MAX_MM} mm.`;
  return z
    .number({ error: msg })
    .min(DEPTH_HARD_MIN_MM, { error: msg })
    .max(DEPTH_HARD_MAX_MM, { error: msg });
};
const depthRange = z
  .strictObject({ min: rangeEnd('The lowest'), max: rangeEnd('The highest') })
  .refine((r) => r.min <= r.max, { error: 'The lowest depth must not exceed the highest.' });

/** The clinic's consent form as the client reads it; every edit is a new version. */
const ConsentTemplate = z.object({
  version: z.number(),
  title: z.string(),
  body: z.string(),
  updatedAt: z.string().nullable(),
});
const ConsentTemplateInput = z.strictObject({
  title: requiredText('Form title', 200),
  body: notes('Form text', 20000).refine((b) => b.length >= 20, {
    error: 'Form text is required: what the procedure is, its risks and the aftercare.',
  }),
});

export const Settings = z.object({
  clinicName: z.string(),
  currentPractitionerId: z.string().nullable(),
  defaultNumbingAgent: z.enum(NUMBING_AGENT_KEYS),
  depthRanges: z.record(z.enum(ZONE_KEYS), z.object({ min: z.number(), max: z.number() })),
  indicationDepthRanges: z.partialRecord(
    z.enum(INDICATION_KEYS),
    z.object({ min: z.number(), max: z.number() }),
  ),
  /** The clinic's date and number format (a BCP 47 tag such as "en-GB"); "" follows the operating system. */
  locale: z.string(),
  /** The operating system's locale as the main side sees it, for "" above (not stored). */
  systemLocale: z.string(),
  /** Lock the screen after this many minutes without keyboard, mouse or touch. */
  idleLockMinutes: z.number(),
  /** The standard photo set per treatment area: the views each session should have, Before and After. */
  photoSets: z.record(z.enum(AREA_KEYS), z.array(z.enum(PHOTO_VIEW_KEYS))),
  /** The consent form clients sign per course; each edit is a new version (contract/signing.ts). */
  consentTemplate: ConsentTemplate,
  /** Logging a session on a course without signed consent is refused unless a reason is given. */
  requireSignedConsent: z.boolean(),
  /** A practitioner's unsigned sessions older than this many days are listed for them to sign. */
  signReminderDays: z.number(),
});
const photoSet = z
  .array(choice('View', PHOTO_VIEW_KEYS), { error: 'A photo set is a list of views.' })
  .max(PHOTO_VIEW_KEYS.length, { error: 'A photo set lists each view at most once.' })
  .refine((views) => new Set(views).size === views.length, {
    error: 'A photo set lists each view at most once.',
  });
export const SettingsUpdate = z.strictObject({
  clinicName: text('Clinic name', 200).optional(),
  currentPractitionerId: id.nullable().optional(),
  defaultNumbingAgent: choice('Numbing agent', NUMBING_AGENT_KEYS).optional(),
  idleLockMinutes: wholeNumber('Lock after', IDLE_LOCK_MINUTES.min, IDLE_LOCK_MINUTES.max).optional(),
  depthRanges: z.partialRecord(choice('Zone', ZONE_KEYS), depthRange).optional(),
  indicationDepthRanges: z
    .partialRecord(choice('Indication', INDICATION_KEYS), depthRange.nullable())
    .optional(),
  locale: z
    .string({ error: 'Choose a date and number format.' })
    .max(35, { error: 'Choose a date and number format from the list.' })
    .refine((tag) => tag === '' || canonicalLocale(tag) !== null, {
      error: 'That date and number format is not one NeedleLog knows. Choose one from the list.',
    })
    .transform((tag) => (tag === '' ? '' : (canonicalLocale(tag) as string)))
    .optional(),
  photoSets: z.partialRecord(choice('Treatment area', AREA_KEYS), photoSet).optional(),
  consentTemplate: ConsentTemplateInput.optional(),
  requireSignedConsent: z.boolean({ error: 'Require signed consent must be yes or no.' }).optional(),
  signReminderDays: wholeNumber('List unsigned sessions after (days)', 0, 90).optional(),
});

// ---------- audit ----------
export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  entity: z.string(),
  entityId: z.string(),
  action: z.enum(['create', 'update', 'delete', 'restore']),
  before: z.unknown(),
  after: z.unknown(),
  /** The treatment room the change was made in, by the name it was paired under (clinics that sync). */
  origin: z.string().nullable(),
});
export const AuditQuery = z.strictObject({
  entity: choice('Record type', [
    'practitioner',
    'client',
    'course',
    'session',
    'adverse_event',
    'photo',
    'settings',
    'session_signature',
    'session_addendum',
    'course_consent',
  ]),
  entityId: z.string().max(100),
});

export const ById = z.strictObject({ id });
export const ByClient = z.strictObject({ clientId: id });
export const ByCourse = z.strictObject({ courseId: id });
export const CourseStatusChange = z.strictObject({ id, status: choice('Course status', COURSE_STATUSES) });
export const Empty = z.strictObject({});
export const Nothing = z.null();

export type PractitionerInput = z.input<typeof PractitionerInput>;
export type PractitionerData = z.output<typeof PractitionerInput>;
export type Practitioner = z.output<typeof Practitioner>;
export type ClientInput = z.input<typeof ClientInput>;
export type ClientData = z.output<typeof ClientInput>;
export type Client = z.output<typeof Client>;
export type ClientListItem = z.output<typeof ClientListItem>;
export type ClientListQuery = z.input<typeof ClientListQuery>;
export type CourseInput = z.input<typeof CourseInput>;
export type CourseData = z.output<typeof CourseInput>;
export type Course = z.output<typeof Course>;
export type SessionInput = z.input<typeof SessionInput>;
export type SessionCreate = z.input<typeof SessionCreate>;
export type Session = z.output<typeof Session>;
export type AdverseEventInput = z.input<typeof AdverseEventInput>;
export type AdverseEventData = z.output<typeof AdverseEventInput>;
export type AdverseEvent = z.output<typeof AdverseEvent>;
export type Settings = z.output<typeof Settings>;
export type SettingsUpdate = z.input<typeof SettingsUpdate>;
export type AuditEntry = z.output<typeof AuditEntry>;
export type Draft = z.output<typeof Draft>;
export type Photo = z.output<typeof Photo>;
export type BackupSummary = z.output<typeof BackupSummary>;
export type PhotoImport = z.input<typeof PhotoImport>;
export type PhotoConsentAnswer = z.input<typeof PhotoConsentAnswer>;
type ConsentTemplate = z.output<typeof ConsentTemplate>;
