import { z } from 'zod';
import { AREA_KEYS } from './domain.js';
import { dateOnly, text } from './fields.js';

/**
 * Exports and imports for clinic managers: what to export (a selection), in which format, and the
 * archive bundle's import report. The formats are a registry: a new format (the PDF course report)
 * adds its key here and its writer in electron/services/exports/formats.ts.
 */
// The plain constants live in domain.ts, so the renderer can use them without bundling zod
// (zod's eval probe would put a Function constructor in a bundle that must have none).
export {
  EXPORT_FORMATS,
  EXPORT_FORMAT_LABELS,
  MAX_BUNDLE_UPLOAD_BYTES,
  type ExportFormat,
} from './domain.js';
import { EXPORT_FORMATS, MAX_BUNDLE_UPLOAD_BYTES } from './domain.js';

const id = z.uuid({ error: 'That record reference is not valid.' });

/**
 * One course, one client, or (neither given) the whole clinic; optionally narrowed to a period of
 * session times (local calendar days, inclusive), one practitioner and one course area.
 */
export const ExportSelection = z
  .strictObject({
    courseId: id.nullable().default(null),
    clientId: id.nullable().default(null),
    from: dateOnly('From').nullable().default(null),
    to: dateOnly('To').nullable().default(null),
    practitionerId: id.nullable().default(null),
    area: z.enum(AREA_KEYS, { error: 'Choose a valid treatment area.' }).nullable().default(null),
    /** Deleted records too (they keep their deleted_at); live records only by default. */
    includeDeleted: z.boolean({ error: 'Include deleted must be true or false.' }).default(false),
  })
  .refine((s) => !(s.courseId && s.clientId), {
    error: 'Choose a course or a client, not both.',
    path: ['courseId'],
  })
  .refine((s) => !s.from || !s.to || s.from <= s.to, {
    error: 'The start of the period must not be after its end.',
    path: ['from'],
  });

export const ExportStart = z.strictObject({
  format: z.enum(EXPORT_FORMATS, { error: 'Choose a valid export format.' }),
  selection: ExportSelection,
  /** Archive bundles only: the passphrase they are encrypted under (the clinic's, or one chosen now). */
  passphrase: z.string().max(1024, 'That passphrase is too long.').optional(),
});

export const ByJob = z.strictObject({ jobId: z.uuid({ error: 'That export reference is not valid.' }) });

export const ExportResult = z.object({
  jobId: z.string(),
  format: z.enum(EXPORT_FORMATS),
  /** The file's name (never a path). */
  fileName: z.string(),
  bytes: z.number(),
  sessions: z.number(),
  /** Browser host: a signed, short-lived address that downloads the file. Null under Electron. */
  downloadUrl: z.string().nullable(),
  /** Electron: the file can be shown in the system's file manager (exports.reveal). */
  canReveal: z.boolean(),
});

export const BundleImport = z.strictObject({
  fileName: text('File name', 255).default(''),
  /** The passphrase the bundle was encrypted under at export. */
  passphrase: z
    .string()
    .min(1, 'Type the passphrase of the bundle.')
    .max(1024, 'That passphrase is too long.'),
  /** The .zip's bytes: structured-cloned over IPC, sent as the raw request body by the browser host. */
  data: z
    .custom<Uint8Array>((v) => v instanceof Uint8Array, { error: 'The bundle file is missing.' })
    .refine((b) => b.byteLength <= MAX_BUNDLE_UPLOAD_BYTES, {
      error: `The file is larger than ${MAX_BUNDLE_UPLOAD_BYTES / 1024 / 1024} MB; import it with "needlelog import" instead.`,
    }),
});

const entityCounts = z.object({
  practitioners: z.number(),
  clients: z.number(),
  courses: z.number(),
  sessions: z.number(),
  adverseEvents: z.number(),
  photos: z.number(),
});
export const ImportReport = z.object({
  created: entityCounts,
  updated: entityCounts,
  /** Records already present and identical, or newer here: left as they were. */
  unchanged: z.number(),
  /** Photos added to this clinic's photo store (each with its three sizes). */
  photoFiles: z.number(),
  /** Signed records added: session signatures, addenda, signed consents, consent overrides. */
  signedRecords: z.number(),
  /** Signed sessions the bundle changed without an addendum of its own: each got one saying so. */
  signedChanged: z.number(),
});

export type ExportSelection = z.input<typeof ExportSelection>;
export type ExportSelectionData = z.output<typeof ExportSelection>;
export type ExportStart = z.input<typeof ExportStart>;
export type ExportResult = z.output<typeof ExportResult>;
export type ImportReport = z.output<typeof ImportReport>;
export type EntityCounts = z.output<typeof entityCounts>;
