import type { Session } from '../contract/schemas.js';
import type { Db } from './connection.js';
import { stmt } from './statements.js';

/** A session as stored: everything but the derived number and the practitioner's display name. */
export type SessionRecord = Omit<Session, 'number' | 'practitionerName'>;

type SessionRow = Omit<Session, 'zones' | 'aftercare' | 'numbingOcclusion' | 'consentProcedure'> & {
  aftercare: string;
  numbingOcclusion: number;
  consentProcedure: number;
};

/** The 1-based number of session `s` within its course, by time (ties by id); live sessions only. */
// Two counts, so that the sessions before are counted from the index alone; only those at the same
// instant (usually just s itself) need their row read for the id.
export const SESSION_NUMBER = `((SELECT count(*) FROM sessions o WHERE o.course_id = s.course_id
    AND o.deleted_at IS NULL AND o.performed_at < s.performed_at)
  + (SELECT count(*) FROM sessions o WHERE o.course_id = s.course_id AND o.deleted_at IS NULL
    AND o.performed_at = s.performed_at AND o.id <= s.id))`;

/** Every column of a session but its number, and its practitioner's name. */
const COLUMNS = `s.practitioner_id AS practitionerId, p.name AS practitionerName, s.performed_at AS performedAt,
  s.device, s.cartridge_type AS cartridgeType, s.cartridge_lot AS cartridgeLot, s.passes, s.speed, s.glide,
  s.glide_lot AS glideLot, s.numbing_agent AS numbingAgent, s.numbing_lot AS numbingLot, s.numbing_concentration AS numbingConcentration,
  s.numbing_minutes AS numbingMinutes, s.numbing_occlusion AS numbingOcclusion, s.numbing_area AS numbingArea,
  s.procedure_minutes AS procedureMinutes, s.pain, s.erythema, s.edema, s.bleeding, s.aftercare,
  s.gais_practitioner AS gaisPractitioner, s.gais_client AS gaisClient, s.satisfaction,
  s.lip_fullness_upper AS lipFullnessUpper, s.lip_fullness_lower AS lipFullnessLower,
  s.goodman_baron AS goodmanBaron, s.consent_procedure AS consentProcedure, s.photo_consent AS photoConsent,
  s.photo_consent_declined_at AS photoConsentDeclinedAt, s.notes, s.created_at AS createdAt, s.updated_at AS updatedAt, s.deleted_at AS deletedAt`;

const SELECT = `SELECT s.id, s.course_id AS courseId, ${SESSION_NUMBER} AS number, ${COLUMNS}
  FROM sessions s JOIN practitioners p ON p.id = s.practitioner_id`;
const SELECT_UNNUMBERED = `SELECT s.id, s.course_id AS courseId, ${COLUMNS}
  FROM sessions s JOIN practitioners p ON p.id = s.practitioner_id`;

type ZoneRow = { zone: Session['zones'][number]['zone']; depthMm: number; passes: number | null };

/** A zone as the API reads it: passes left out when unknown (see ZoneDepth). */
function zoneOfRow({ passes, ...z }: ZoneRow): Session['zones'][number] {
  return passes === null ? z : { ...z, passes };
}

function zonesOf(db: Db, sessionId: string): Session['zones'] {
  const rows = stmt(
    db,
    `SELECT zone, depth_mm AS depthMm, passes FROM session_zones WHERE session_id = ? ORDER BY position`,
  ).all(sessionId) as ZoneRow[];
  return rows.map(zoneOfRow);
}

/** A row's JSON and 0/1 columns as the API reads them. */
function withColumns(r: Omit<SessionRow, 'number'>): Omit<Session, 'number' | 'zones'> {
  return {
    ...r,
    aftercare: JSON.parse(r.aftercare) as Session['aftercare'],
    numbingOcclusion: r.numbingOcclusion === 1,
    consentProcedure: r.consentProcedure === 1,
  };
}

function fromRow(db: Db, r: SessionRow): Session {
  return {
    ...withColumns(r),
    // A deleted session keeps its place out of the numbering of the live ones.
    number: r.deletedAt === null ? r.number : 0,
    zones: zonesOf(db, r.id),
  };
}

export function getSession(db: Db, id: string): Session | undefined {
  const row = stmt(db, `${SELECT} WHERE s.id = ?`).get(id) as SessionRow | undefined;
  return row && fromRow(db, row);
}

/**
 * The live sessions of a course in order, numbered. Two statements whatever the course's length:
 * the sessions (ordered by time, ties by id, which is SESSION_NUMBER's order, so a live session's
 * number is its place in the list) and every zone of them at once, instead of two counts and one
 * zone query per session.
 */
export function listSessionsOfCourse(db: Db, courseId: string): Session[] {
  const rows = stmt(
    db,
    `${SELECT_UNNUMBERED} WHERE s.course_id = ? AND s.deleted_at IS NULL ORDER BY s.performed_at, s.id`,
  ).all(courseId) as Omit<SessionRow, 'number'>[];
  if (rows.length === 0) return [];
  const zones = new Map<string, Session['zones']>(rows.map((r) => [r.id, []]));
  const zoneRows = stmt(
    db,
    `SELECT z.session_id AS sessionId, z.zone, z.depth_mm AS depthMm, z.passes
     FROM sessions s CROSS JOIN session_zones z ON z.session_id = s.id
     WHERE s.course_id = ? AND s.deleted_at IS NULL ORDER BY z.session_id, z.position`,
  ).all(courseId) as (ZoneRow & { sessionId: string })[];
  for (const { sessionId, ...z } of zoneRows) zones.get(sessionId)?.push(zoneOfRow(z));
  return rows.map((r, i) => ({ ...withColumns(r), number: i + 1, zones: zones.get(r.id) ?? [] }));
}

/** The live session of the course just before `performedAt` (for interval checks and carry-forward). */
export function previousSessionAt(
  db: Db,
  courseId: string,
  performedAt: string,
  excludeId: string | null,
): string | null {
  const row = stmt(
    db,
    `SELECT max(performed_at) AS at FROM sessions
     WHERE course_id = ? AND deleted_at IS NULL AND performed_at <= ? AND id IS NOT ?`,
  ).get(courseId, performedAt, excludeId) as { at: string | null };
  return row.at;
}

function toParams(s: SessionRecord) {
  return {
    ...s,
    aftercare: JSON.stringify(s.aftercare),
    numbingOcclusion: s.numbingOcclusion ? 1 : 0,
    consentProcedure: s.consentProcedure ? 1 : 0,
  };
}

const FIELDS = `course_id = @courseId, practitioner_id = @practitionerId, performed_at = @performedAt,
  device = @device, cartridge_type = @cartridgeType, cartridge_lot = @cartridgeLot, passes = @passes,
  speed = @speed, glide = @glide, glide_lot = @glideLot, numbing_agent = @numbingAgent,
  numbing_lot = @numbingLot, numbing_concentration = @numbingConcentration,
  numbing_minutes = @numbingMinutes, numbing_occlusion = @numbingOcclusion, numbing_area = @numbingArea,
  procedure_minutes = @procedureMinutes, pain = @pain, erythema = @erythema, edema = @edema,
  bleeding = @bleeding, aftercare = @aftercare, gais_practitioner = @gaisPractitioner,
  gais_client = @gaisClient, satisfaction = @satisfaction, lip_fullness_upper = @lipFullnessUpper,
  lip_fullness_lower = @lipFullnessLower, goodman_baron = @goodmanBaron,
  consent_procedure = @consentProcedure, photo_consent = @photoConsent,
  photo_consent_declined_at = CASE WHEN @photoConsent = 'none' THEN @photoConsentDeclinedAt END, notes = @notes,
  updated_at = @updatedAt, deleted_at = @deletedAt`;

/** Writes the session row and its zone rows. Callers wrap this in a transaction. */
export function insertSession(db: Db, s: SessionRecord): void {
  stmt(
    db,
    `INSERT INTO sessions (id, course_id, practitioner_id, performed_at, device, cartridge_type,
       cartridge_lot, passes, speed, glide, numbing_agent, numbing_concentration, numbing_minutes,
       numbing_occlusion, numbing_area, procedure_minutes, pain, erythema, edema, bleeding, aftercare,
       gais_practitioner, gais_client, satisfaction, lip_fullness_upper, lip_fullness_lower, goodman_baron,
       consent_procedure, photo_consent, photo_consent_declined_at, notes, created_at, updated_at, deleted_at,
       numbing_lot, glide_lot)
     VALUES (@id, @courseId, @practitionerId, @performedAt, @device, @cartridgeType,
       @cartridgeLot, @passes, @speed, @glide, @numbingAgent, @numbingConcentration, @numbingMinutes,
       @numbingOcclusion, @numbingArea, @procedureMinutes, @pain, @erythema, @edema, @bleeding, @aftercare,
       @gaisPractitioner, @gaisClient, @satisfaction, @lipFullnessUpper, @lipFullnessLower, @goodmanBaron,
       @consentProcedure, @photoConsent, @photoConsentDeclinedAt, @notes, @createdAt, @updatedAt, @deletedAt,
       @numbingLot, @glideLot)`,
  ).run(toParams(s));
  writeZones(db, s.id, s.zones);
}

export function updateSession(db: Db, s: SessionRecord): void {
  stmt(db, `UPDATE sessions SET ${FIELDS} WHERE id = @id`).run(toParams(s));
  writeZones(db, s.id, s.zones);
}

function writeZones(db: Db, sessionId: string, zones: Session['zones']): void {
  stmt(db, `DELETE FROM session_zones WHERE session_id = ?`).run(sessionId);
  const insert = stmt(
    db,
    `INSERT INTO session_zones (session_id, position, zone, depth_mm, passes) VALUES (?, ?, ?, ?, ?)`,
  );
  zones.forEach((z, i) => insert.run(sessionId, i, z.zone, z.depthMm, z.passes ?? null));
}
