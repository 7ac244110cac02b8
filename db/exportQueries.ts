import type { Db } from './connection.js';
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

/** How many sessions the selection holds. */
export function selectedSessionCount(db: Db, p: SelectionParams): number {
  const sql = `SELECT count(*) FROM sessions s JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
    ${sessionWhere(p)}`;
  return stmt(db, sql).pluck().get(used(sql, p)) as number;
}

/** The rowids of the selected sessions, ascending: where they lie in the file. */
export function selectedSessionRowids(db: Db, p: SelectionParams): number[] {
  const sql = `SELECT s.rowid FROM sessions s JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
    ${sessionWhere(p)} ORDER BY s.rowid`;
  return stmt(db, sql).pluck().all(used(sql, p)) as number[];
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

/** Live sessions per course (by the course's rowid) before `fromAt`: where the numbers of a period's sessions start. */
export function liveSessionsBefore(db: Db, fromAt: string): Map<number, number> {
  const rows = stmt(
    db,
    `SELECT k.rowid, count(*) FROM sessions s JOIN courses k ON k.id = s.course_id
     WHERE s.deleted_at IS NULL AND s.performed_at < ? GROUP BY s.course_id`,
  )
    .raw()
    .all(fromAt) as [number, number][];
  return new Map(rows);
}
