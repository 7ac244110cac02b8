import type { Db } from './connection.js';
import { SESSION_NUMBER } from './sessions.js';
import { stmt } from './statements.js';

/**
 * SQL behind the CSV export, shaped for reading a whole clinic in storage order: sessions come a
 * batch at a time in rowid order (their pages one after another, each decrypted once), and what
 * belongs to a batch comes with one query per table for the whole batch, not one probe per row.
 * Rows are raw arrays (better-sqlite3 `.raw()`): objects with sixty named fields were a fifth of
 * the export. Lists travel as one JSON array parameter read with json_each; `j.key` is the
 * position in the batch, so results are placed without a lookup.
 */

/** The session columns of a CSV row, in the order `CsvSessionCells` holds them. */
const SESSION_COLUMNS = [
  'id',
  'performed_at',
  'course_id',
  'practitioner_id',
  'device',
  'cartridge_type',
  'cartridge_lot',
  'passes',
  'speed',
  'glide',
  'glide_lot',
  'numbing_agent',
  'numbing_lot',
  'numbing_concentration',
  'numbing_minutes',
  'numbing_occlusion',
  'numbing_area',
  'procedure_minutes',
  'pain',
  'erythema',
  'edema',
  'bleeding',
  'aftercare',
  'gais_practitioner',
  'gais_client',
  'satisfaction',
  'lip_fullness_upper',
  'lip_fullness_lower',
  'goodman_baron',
  'consent_procedure',
  'photo_consent',
  'notes',
  'created_at',
  'updated_at',
  'deleted_at',
] as const;
export type CsvSessionColumn = (typeof SESSION_COLUMNS)[number];

/** One session's stored columns, then its rowid, its zones text and (when asked for) its number in its course. */
export type CsvSessionCells = (string | number | null)[];

/** Where each column sits in `CsvSessionCells`. */
export const SESSION_CELL = Object.fromEntries(SESSION_COLUMNS.map((c, i) => [c, i])) as Record<
  CsvSessionColumn,
  number
>;
export const SESSION_ROWID_CELL = SESSION_COLUMNS.length;
export const SESSION_ZONES_CELL = SESSION_COLUMNS.length + 1;
export const SESSION_NUMBER_CELL = SESSION_COLUMNS.length + 2;

/**
 * A session's zones as one text, "zone:depth:passes" joined by "," (passes empty when not
 * recorded), read with the session instead of as one row per zone: half a million small rows were
 * a fifth of the export. SQLite writes a REAL as a text that reads back as the same number.
 * Only zone keys ([a-z_]) are listed, so the separators cannot occur inside one; anything else is
 * no CSV column anyway.
 */
const ZONES_TEXT = `(SELECT group_concat(z.zone || ':' || z.depth_mm || ':' || ifnull(z.passes, ''), ',')
  FROM session_zones z WHERE z.session_id = s.id AND z.zone NOT GLOB '*[^a-z_]*')`;

const SESSION_SELECT = `${SESSION_COLUMNS.map((c) => `s.${c}`).join(', ')}, s.rowid, ${ZONES_TEXT}`;

/**
 * The next `limit` sessions after rowid `after`, in rowid order: a whole-clinic export walks the
 * table so, with nothing to filter in SQL (deleted rows are skipped by the caller, which reads
 * `deleted_at` anyway), so the plan is a plain forward scan.
 */
export function csvSessionsAfter(db: Db, after: number, limit: number): CsvSessionCells[] {
  return stmt(db, `SELECT ${SESSION_SELECT} FROM sessions s WHERE s.rowid > ? ORDER BY s.rowid LIMIT ?`)
    .raw()
    .all(after, limit) as CsvSessionCells[];
}

/** The largest rowid of a session: how far a walk of the table goes, for its progress. */
export function maxSessionRowid(db: Db): number {
  return (stmt(db, `SELECT max(rowid) FROM sessions`).pluck().get() as number | null) ?? 0;
}

/**
 * The sessions with these rowids (ascending), with their number in their course when `withNumber`
 * (a selection that leaves some of a course's sessions out cannot count them as it goes).
 */
export function csvSessionsByRowid(
  db: Db,
  rowids: readonly number[],
  withNumber: boolean,
): CsvSessionCells[] {
  return stmt(
    db,
    `SELECT ${SESSION_SELECT}${withNumber ? `, ${SESSION_NUMBER}` : ''}
     FROM json_each(?) j CROSS JOIN sessions s ON s.rowid = j.value`,
  )
    .raw()
    .all(JSON.stringify(rowids)) as CsvSessionCells[];
}

/** A course of the CSV with its client and its latest signed consent. */
export type CsvCourseCells = [
  id: string,
  area: string,
  indication: string,
  status: string,
  startedOn: string,
  clientId: string,
  firstName: string,
  lastName: string,
  dateOfBirth: string | null,
  fitzpatrick: number | null,
  consentSignedAt: string | null,
  /** 1 when neither the course nor its client is deleted. */
  live: number,
  rowid: number,
];

export function csvCourses(db: Db, courseIds: readonly string[]): CsvCourseCells[] {
  return stmt(
    db,
    `SELECT k.id, k.area, k.indication, k.status, k.started_on,
       c.id, c.first_name, c.last_name, c.date_of_birth, c.fitzpatrick,
       (SELECT max(cc.signed_at) FROM course_consents cc WHERE cc.course_id = k.id),
       k.deleted_at IS NULL AND c.deleted_at IS NULL, k.rowid
     FROM json_each(?) j JOIN courses k ON k.id = j.value JOIN clients c ON c.id = k.client_id`,
  )
    .raw()
    .all(JSON.stringify(courseIds)) as CsvCourseCells[];
}

export function csvPractitioners(db: Db): [id: string, name: string][] {
  return stmt(db, `SELECT id, name FROM practitioners`).raw().all() as [string, string][];
}

/** The tables a batch's sessions have rows in beyond their zones; those with no row at all are never asked. */
export const CSV_CHILD_TABLES = [
  'adverse_events',
  'photos',
  'session_signatures',
  'session_addenda',
  'consent_overrides',
] as const;
export type CsvChildTable = (typeof CSV_CHILD_TABLES)[number];

export function nonEmptyTables(db: Db): Set<CsvChildTable> {
  return new Set(
    CSV_CHILD_TABLES.filter((t) => stmt(db, `SELECT EXISTS (SELECT 1 FROM ${t})`).pluck().get() === 1),
  );
}

/** Adverse events by batch position, then onset: [position, kind, severity, onset, resolved]. */
export function csvAdverseEvents(
  db: Db,
  sessionIdsJson: string,
  includeDeleted: boolean,
): [number, string, string, string, string | null][] {
  return stmt(
    db,
    `SELECT j.key, x.kind, x.severity, x.onset_on, x.resolved_on
     FROM json_each(?) j JOIN adverse_events x ON x.session_id = j.value
     ${includeDeleted ? '' : 'WHERE x.deleted_at IS NULL'} ORDER BY j.key, x.onset_on, x.id`,
  )
    .raw()
    .all(sessionIdsJson) as [number, string, string, string, string | null][];
}

/** Photo counts of the batch's sessions that have any: [position, count]. */
export function csvPhotoCounts(db: Db, sessionIdsJson: string, includeDeleted: boolean): [number, number][] {
  return stmt(
    db,
    `SELECT j.key, count(*) FROM json_each(?) j JOIN photos x ON x.session_id = j.value
     ${includeDeleted ? '' : 'WHERE x.deleted_at IS NULL'} GROUP BY j.key`,
  )
    .raw()
    .all(sessionIdsJson) as [number, number][];
}

/** Signatures (one per role at most): [position, role, practitioner's name, signed at]. */
export function csvSignatures(
  db: Db,
  sessionIdsJson: string,
): [number, 'author' | 'cosigner', string | null, string][] {
  return stmt(
    db,
    `SELECT j.key, g.role, p.name, g.signed_at
     FROM json_each(?) j JOIN session_signatures g ON g.session_id = j.value
     LEFT JOIN practitioners p ON p.id = g.practitioner_id`,
  )
    .raw()
    .all(sessionIdsJson) as [number, 'author' | 'cosigner', string | null, string][];
}

/**
 * Addenda, oldest first: [position, at, author's name, reason, JSON array of the changed fields in
 * the order the addendum lists them].
 */
export function csvAddenda(db: Db, sessionIdsJson: string): [number, string, string, string, string][] {
  return stmt(
    db,
    `SELECT j.key, a.at, ap.name, a.reason,
       (SELECT json_group_array(f.key) FROM json_each(a.changes_json, '$.after') f)
     FROM json_each(?) j JOIN session_addenda a ON a.session_id = j.value
     JOIN practitioners ap ON ap.id = a.author_id ORDER BY j.key, a.at, a.id`,
  )
    .raw()
    .all(sessionIdsJson) as [number, string, string, string, string][];
}

/** Why a session was logged without signed consent: [position, reason]. */
export function csvConsentOverrides(db: Db, sessionIdsJson: string): [number, string][] {
  return stmt(
    db,
    `SELECT j.key, ov.reason FROM json_each(?) j JOIN consent_overrides ov ON ov.session_id = j.value`,
  )
    .raw()
    .all(sessionIdsJson) as [number, string][];
}
