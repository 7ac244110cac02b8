import { z } from 'zod';
import { COURSE_STATUSES, MAX_PHOTO_MEGAPIXELS, PHOTO_CONSENTS, PHOTO_CONSENT_SCOPE_KEYS } from './domain.js';
import { AddendumChanges, ConsentSignature, SIGNATURE_ROLES } from './signing.js';
import {
  AdverseEventInput,
  ClientInput,
  CourseInput,
  PhotoImport,
  PractitionerInput,
  SessionInput,
} from './schemas.js';
import { choice, instant, recordId, text, wholeNumber } from './fields.js';

/**
 * Whole records as NeedleLog stores them (an archive bundle's records.json, camel-cased): the API's
 * input schema of each kind plus what the services add (id, timestamps, a course's status, a
 * photo's file facts). Anything that reaches the database without going through the API (a bundle
 * import) is held to these, so it can only hold what the API itself would have saved. A new field
 * of a record needs its entry in the input schema (or here, when the service fills it), nowhere else.
 */
const stamps = {
  id: recordId,
  createdAt: instant('Created at'),
  updatedAt: instant('Last changed at'),
  deletedAt: instant('Deleted at').nullable(),
};

/** JSON text (kept as text, as stored) whose parsed value passes `schema`. */
function jsonText(label: string, schema: z.ZodType) {
  return z.string({ error: `${label} is required.` }).refine(
    (s) => {
      try {
        return schema.safeParse(JSON.parse(s)).success;
      } catch {
        return false;
      }
    },
    { error: `${label} is not valid.` },
  );
}
const reasonText = (label: string) =>
  z.string({ error: `${label} is required.` }).refine((s) => s.trim().length > 0 && s.length <= 2000, {
    error: `${label} is required (at most 2000 characters).`,
  });

/** Longest side of a stored photo: the pipeline refuses sources above MAX_PHOTO_MEGAPIXELS. */
const MAX_SIDE = MAX_PHOTO_MEGAPIXELS * 1_000_000;

export const STORED_RECORDS = {
  practitioners: PractitionerInput.extend(stamps),
  clients: ClientInput.extend(stamps),
  courses: CourseInput.extend({ status: choice('Course status', COURSE_STATUSES), ...stamps }),
  sessions: SessionInput.extend({
    /** Set by photos.consent when the client declines; cleared when a scope is recorded. */
    photoConsentDeclinedAt: instant('Photo consent declined at').nullable(),
    ...stamps,
  }),
  adverse_events: AdverseEventInput.extend(stamps),
  photos: PhotoImport.omit({ fileName: true, data: true }).extend({
    sha256: z
      .string({ error: 'The photo hash is required.' })
      .regex(/^[0-9a-f]{64}$/, { error: 'The photo hash must be 64 lower-case hexadecimal digits.' }),
    mime: z.literal('image/jpeg', { error: 'Stored photos are JPEG (image/jpeg).' }),
    width: wholeNumber('Photo width', 1, MAX_SIDE),
    height: wholeNumber('Photo height', 1, MAX_SIDE),
    bytes: wholeNumber('Photo size', 1, Number.MAX_SAFE_INTEGER),
    takenAt: instant('Taken at').nullable(),
    /** The scope the photo was filed under; null for photos filed before consent was asked. */
    consentScope: choice('Photo consent scope', PHOTO_CONSENT_SCOPE_KEYS).nullable(),
    ...stamps,
  }),
  session_signatures: z.strictObject({
    id: recordId,
    sessionId: recordId,
    practitionerId: recordId,
    role: choice('Signature role', SIGNATURE_ROLES),
    signedAt: instant('Signed at'),
    recordJson: jsonText('The signed record', z.looseObject({ id: z.string() })),
    recordSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: 'The signed record hash must be 64 hex digits.' }),
  }),
  session_addenda: z.strictObject({
    id: recordId,
    sessionId: recordId,
    authorId: recordId,
    at: instant('Addendum time'),
    reason: reasonText('Reason for the addendum'),
    changesJson: jsonText('What the addendum changed', AddendumChanges),
  }),
  consent_overrides: z.strictObject({
    id: recordId,
    sessionId: recordId,
    actorId: recordId.nullable(),
    at: instant('Consent override time'),
    reason: reasonText('Reason for logging without signed consent'),
  }),
  course_consents: z.strictObject({
    id: recordId,
    courseId: recordId,
    templateVersion: wholeNumber('Form version', 1, 1_000_000),
    title: text('Form title', 200),
    body: text('Form text', 20000, { multiline: true }),
    photoScope: choice('Photo consent', PHOTO_CONSENTS),
    clientName: text('Client name', 200),
    clientSignatureJson: jsonText('The client signature', ConsentSignature),
    practitionerId: recordId,
    practitionerSignatureJson: jsonText('The practitioner signature', ConsentSignature),
    signedAt: instant('Signed at'),
  }),
} as const;

export type StoredTable = keyof typeof STORED_RECORDS;
