import { z } from 'zod';
import { COURSE_STATUSES, MAX_PHOTO_MEGAPIXELS, PHOTO_CONSENT_SCOPE_KEYS } from './domain.js';
import {
  AdverseEventInput,
  ClientInput,
  CourseInput,
  PhotoImport,
  PractitionerInput,
  SessionInput,
  choice,
  instant,
  recordId,
  wholeNumber,
} from './schemas.js';

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
} as const;

export type StoredTable = keyof typeof STORED_RECORDS;
export type StoredRecord<T extends StoredTable> = z.output<(typeof STORED_RECORDS)[T]>;
