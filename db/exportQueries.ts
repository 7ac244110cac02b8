import type { Db } from './connection.js';
import { SESSION_NUMBER } from './sessions.js';
import { stmt } from './statements.js';

/**
 * SQL behind exports: which sessions a selection holds, the flat rows of the CSV, and full table
 * rows (every column, as stored) for the archive bundle. Lists of ids travel as one JSON array
 * parameter read with json_each, so a batch is one prepared statement whatever its size.
 */

/** A selection as SQL parameters: UTC instants [fromAt, toAt), null for "any". */
export interface SelectionParams {
  courseId: string | null;
  clientId: string | null;
  fromAt: string | null;
  toAt: string | null;
  practitionerId: string | null;
  area: string | null;
  includeDeleted: boolean;
}

/** The tables a bundle carries, in the order their rows can be inserted (foreign keys). */
export const BUNDLE_TABLES = [
  'practitioners',
  'clients',
  'courses',
  'sessions',
  'session_zones',
  'adverse_events',
  'photos',
  // Signed records (never changed once written): after what they refer to.
  'session_signatures',
  'session_addenda',
  'consent_overrides',
  'course_consents',
] as const;
/** Tables a bundle from before signed records lacks; they are read as empty. */
export const LATER_BUNDLE_TABLES: readonly BundleTable[] = [
  'session_signatures',
  'session_addenda',
  'consent_overrides',
  'course_consents',
];
/**
 * Columns a bundle from an older NeedleLog lacks, by table: read as null (unknown), as the
 * migration that added them left the rows stored before it.
 */
export const LATER_BUNDLE_COLUMNS: Partial<Record<BundleTable, readonly string[]>> = {
  session_zones: ['passes'],
};
/** Tables whose rows are never changed: an import adds missing rows and leaves present ones. */
export const IMMUTABLE_BUNDLE_TABLES: ReadonlySet<BundleTable> = new Set(LATER_BUNDLE_TABLES);
export type BundleTable = (typeof BUNDLE_TABLES)[number];

export type RawRow = Record<string, string | number | null>;

// Only the conditions that apply are written into the SQL (each distinct text is prepared once), so
// the planner can use the partial indexes on live rows instead of scanning for "? IS NULL OR …".
function sessionWhere(p: SelectionParams): string {
  const where: string[] = [];
  if (p.courseId) where.push('s.course_id = @courseId');
  if (p.clientId) where.push('k.client_id = @clientId');
  if (p.fromAt) where.push('s.performed_at >= @fromAt');
  if (p.toAt) where.push('s.performed_at < @toAt');
  if (p.practitionerId) where.push('s.practitioner_id = @practitionerId');
  if (p.area) where.push('k.area = @area');
  if (!p.includeDeleted) where.push('s.deleted_at IS NULL AND k.deleted_at IS NULL AND c.deleted_at IS NULL');
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

function bind(p: SelectionParams) {
  return {
    courseId: p.courseId,
    clientId: p.clientId,
    fromAt: p.fromAt,
    toAt: p.toAt,
    practitionerId: p.practitionerId,
    area: p.area,
  };
}

function used(sql: string, p: SelectionParams): Record<string, string | null> {
  // better-sqlite3 refuses named parameters the SQL does not use.
  return Object.fromEntries(Object.entries(bind(p)).filter(([k]) => sql.includes(`@${k}`)));
}

/** The ids of the selected sessions, by session time. */
export function selectedSessionIds(db: Db, p: SelectionParams): string[] {
  const sql = `SELECT s.id FROM sessions s JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
    ${sessionWhere(p)} ORDER BY s.performed_at, s.id`;
  return stmt(db, sql).pluck().all(used(sql, p)) as string[];
}

/**
 * Courses the selection holds even without a selected session: all courses of the scope when no
 * session filter (period, practitioner) narrows it.
 */
export function scopeCourseIds(db: Db, p: SelectionParams): string[] {
  const where: string[] = [];
  if (p.courseId) where.push('k.id = @courseId');
  if (p.clientId) where.push('k.client_id = @clientId');
  if (p.area) where.push('k.area = @area');
  if (!p.includeDeleted) where.push('k.deleted_at IS NULL AND c.deleted_at IS NULL');
  const sql = `SELECT k.id FROM courses k JOIN clients c ON c.id = k.client_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY k.started_on, k.id`;
  return stmt(db, sql).pluck().all(used(sql, p)) as string[];
}

/** Clients of the scope (one client, or every client of the clinic), for unfiltered exports. */
export function scopeClientIds(db: Db, p: SelectionParams): string[] {
  const where: string[] = [];
  if (p.clientId) where.push('c.id = @clientId');
  if (!p.includeDeleted) where.push('c.deleted_at IS NULL');
  const sql = `SELECT c.id FROM clients c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.sort_name, c.id`;
  return stmt(db, sql).pluck().all(used(sql, p)) as string[];
}

export function allPractitionerIds(db: Db, includeDeleted: boolean): string[] {
  return stmt(
    db,
    `SELECT id FROM practitioners ${includeDeleted ? '' : 'WHERE deleted_at IS NULL'} ORDER BY id`,
  )
    .pluck()
    .all() as string[];
}

/** Distinct values of one column of `table` over the rows whose `key` is in `ids`. */
export function relatedIds(db: Db, table: BundleTable, column: string, key: string, ids: string[]): string[] {
  return stmt(
    db,
    `SELECT DISTINCT t.${column} FROM json_each(?) j JOIN ${table} t ON t.${key} = j.value ORDER BY 1`,
  )
    .pluck()
    .all(JSON.stringify(ids)) as string[];
}

/** Ids of the rows of `table` (adverse events, photos) belonging to the given sessions. */
export function childIdsOfSessions(
  db: Db,
  table: 'adverse_events' | 'photos',
  sessionIds: string[],
  includeDeleted: boolean,
): string[] {
  return stmt(
    db,
    `SELECT t.id FROM json_each(?) j JOIN ${table} t ON t.session_id = j.value
     ${includeDeleted ? '' : 'WHERE t.deleted_at IS NULL'} ORDER BY t.session_id, t.id`,
  )
    .pluck()
    .all(JSON.stringify(sessionIds)) as string[];
}

/** Ids of the rows of `table` whose `key` column is one of `parentIds` (signed records of sessions or courses). */
export function idsByParent(db: Db, table: BundleTable, key: string, parentIds: string[]): string[] {
  return stmt(
    db,
    `SELECT t.id FROM json_each(?) j JOIN ${table} t ON t.${key} = j.value ORDER BY t.${key}, t.id`,
  )
    .pluck()
    .all(JSON.stringify(parentIds)) as string[];
}

/** Every column of the rows with these ids (session_zones: of these sessions), in the given order. */
export function rawRows(db: Db, table: BundleTable, ids: string[]): RawRow[] {
  const key = table === 'session_zones' ? 'session_id' : 'id';
  const order = table === 'session_zones' ? 'j.key, t.position' : 'j.key';
  const cols = tableColumns(db, table)
    .map((c) => `t.${c}`)
    .join(', ');
  return stmt(
    db,
    `SELECT ${cols} FROM json_each(?) j JOIN ${table} t ON t.${key} = j.value ORDER BY ${order}`,
  ).all(JSON.stringify(ids)) as RawRow[];
}

/** Where this data folder keeps a photo's encrypted files and their key: never part of a record that travels. */
const LOCAL_COLUMNS = new Set(['file_id', 'file_key']);

/** The columns of one of our tables as the open database has them, less the local storage ones. */
export function tableColumns(db: Db, table: BundleTable): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[])
    .map((c) => c.name)
    .filter((c) => !LOCAL_COLUMNS.has(c));
}

/** One session flattened with its client, course, practitioner, zones and adverse events. */
export interface CsvSourceRow {
  id: string;
  /** Null when the caller numbers the sessions itself (csvRows). */
  number: number | null;
  performed_at: string;
  client_id: string;
  client_first_name: string;
  client_last_name: string;
  client_date_of_birth: string | null;
  client_fitzpatrick: number | null;
  course_id: string;
  course_area: string;
  course_indication: string;
  course_status: string;
  course_started_on: string;
  practitioner_id: string;
  practitioner_name: string;
  device: string;
  cartridge_type: string;
  cartridge_lot: string;
  passes: number | null;
  speed: number | null;
  glide: string;
  glide_lot: string;
  numbing_agent: string;
  numbing_lot: string;
  numbing_concentration: string;
  numbing_minutes: number | null;
  numbing_occlusion: number;
  numbing_area: string;
  procedure_minutes: number | null;
  pain: number | null;
  erythema: number | null;
  edema: number | null;
  bleeding: number | null;
  aftercare: string;
  gais_practitioner: number | null;
  gais_client: number | null;
  satisfaction: number | null;
  lip_fullness_upper: number | null;
  lip_fullness_lower: number | null;
  goodman_baron: number | null;
  consent_procedure: number;
  photo_consent: string;
  notes: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** JSON object zone → depth (mm). */
  zones_json: string;
  /** JSON object zone → passes, of the zones whose passes were recorded. */
  zone_passes_json: string;
  /** JSON array of {kind, severity, onset, resolved}, by onset. */
  events_json: string;
  photo_count: number;
  /** The practitioner's signature, a manager's co-signature (null: none). */
  signed_by: string | null;
  signed_at: string | null;
  cosigned_by: string | null;
  cosigned_at: string | null;
  /** JSON array of {at, by, reason, fields}, oldest first. */
  addenda_json: string;
  /** The course's latest signed consent, and the reason a session was logged without one. */
  consent_signed_at: string | null;
  consent_override_reason: string | null;
}

/**
 * The CSV's source rows for a batch of session ids, in the order given. `number` is the session's
 * number in its course when `withNumber`, else null (a caller that sees every session of each
 * course in time order counts them itself: two index counts per row were a third of the export).
 *
 * The batch is read in storage order (rowid) and put back in the order given: the sessions of a
 * time-ordered batch lie all over the file, and visiting them in file order turns random page
 * reads and decryptions into mostly forward ones.
 */
export function csvRows(
  db: Db,
  sessionIds: string[],
  includeDeleted: boolean,
  withNumber: boolean,
): CsvSourceRow[] {
  const live = includeDeleted ? '' : 'AND x.deleted_at IS NULL';
  const rows = stmt(
    db,
    `WITH o AS MATERIALIZED (
       SELECT j.key AS pos, s0.rowid AS r FROM json_each(?) j JOIN sessions s0 ON s0.id = j.value ORDER BY s0.rowid)
     SELECT o.pos, s.id, ${withNumber ? SESSION_NUMBER : 'NULL'} AS number, s.performed_at,
       c.id AS client_id, c.first_name AS client_first_name, c.last_name AS client_last_name,
       c.date_of_birth AS client_date_of_birth, c.fitzpatrick AS client_fitzpatrick,
       k.id AS course_id, k.area AS course_area, k.indication AS course_indication,
       k.status AS course_status, k.started_on AS course_started_on,
       p.id AS practitioner_id, p.name AS practitioner_name,
       s.device, s.cartridge_type, s.cartridge_lot, s.passes, s.speed, s.glide, s.glide_lot,
       s.numbing_agent, s.numbing_lot, s.numbing_concentration, s.numbing_minutes, s.numbing_occlusion, s.numbing_area, s.procedure_minutes,
       s.pain, s.erythema, s.edema, s.bleeding, s.aftercare, s.gais_practitioner, s.gais_client,
       s.satisfaction, s.lip_fullness_upper, s.lip_fullness_lower, s.goodman_baron, s.consent_procedure,
       s.photo_consent, s.notes, s.created_at, s.updated_at, s.deleted_at,
       (SELECT json_group_object(z.zone, z.depth_mm) FROM session_zones z WHERE z.session_id = s.id) AS zones_json,
       (SELECT json_group_object(z.zone, z.passes) FROM session_zones z
          WHERE z.session_id = s.id AND z.passes IS NOT NULL) AS zone_passes_json,
       (SELECT json_group_array(json_object('kind', x.kind, 'severity', x.severity, 'onset', x.onset_on,
          'resolved', x.resolved_on))
        FROM (SELECT * FROM adverse_events x WHERE x.session_id = s.id ${live} ORDER BY x.onset_on, x.id) x)
         AS events_json,
       (SELECT count(*) FROM photos x WHERE x.session_id = s.id ${live}) AS photo_count,
       sp.name AS signed_by, ga.signed_at, cp.name AS cosigned_by, gc.signed_at AS cosigned_at,
       (SELECT json_group_array(json_object('at', a.at, 'by', a.by, 'reason', a.reason,
          'fields', (SELECT json_group_array(f.key) FROM json_each(a.changes_json, '$.after') f)))
        FROM (SELECT a.*, ap.name AS by FROM session_addenda a JOIN practitioners ap ON ap.id = a.author_id
              WHERE a.session_id = s.id ORDER BY a.at, a.id) a) AS addenda_json,
       (SELECT max(cc.signed_at) FROM course_consents cc WHERE cc.course_id = s.course_id) AS consent_signed_at,
       ov.reason AS consent_override_reason
     FROM o CROSS JOIN sessions s ON s.rowid = o.r JOIN courses k ON k.id = s.course_id
       JOIN clients c ON c.id = k.client_id JOIN practitioners p ON p.id = s.practitioner_id
       -- Signed records, one row at most each (UNIQUE (session_id, role), UNIQUE session_id).
       LEFT JOIN session_signatures ga ON ga.session_id = s.id AND ga.role = 'author'
       LEFT JOIN practitioners sp ON sp.id = ga.practitioner_id
       LEFT JOIN session_signatures gc ON gc.session_id = s.id AND gc.role = 'cosigner'
       LEFT JOIN practitioners cp ON cp.id = gc.practitioner_id
       LEFT JOIN consent_overrides ov ON ov.session_id = s.id`,
  ).all(JSON.stringify(sessionIds)) as (CsvSourceRow & { pos: number })[];
  const ordered = new Array<CsvSourceRow>(rows.length);
  let n = 0;
  for (const r of rows) ordered[r.pos] = r;
  // A session deleted for good since the selection was made leaves a hole: close it.
  for (const r of ordered) if (r) ordered[n++] = r;
  ordered.length = n;
  return ordered;
}

/** Live sessions per course before `fromAt`: where the numbers of a period's sessions start. */
export function liveSessionsBefore(db: Db, fromAt: string): Map<string, number> {
  const rows = stmt(
    db,
    `SELECT course_id, count(*) FROM sessions WHERE deleted_at IS NULL AND performed_at < ? GROUP BY course_id`,
  )
    .raw()
    .all(fromAt) as [string, number][];
  return new Map(rows);
}
