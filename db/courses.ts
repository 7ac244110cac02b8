import type { Course } from '../contract/schemas.js';
import type { Db } from './connection.js';
import { stmt } from './statements.js';

/** A course as stored, plus the two figures its schedule is derived from. */
export type CourseRow = Omit<Course, 'nextDueOn' | 'overdue'>;
type CourseRecord = Omit<CourseRow, 'sessionCount' | 'lastSessionAt'>;

const SELECT = `SELECT k.id, k.client_id AS clientId, k.area, k.indication,
  k.planned_sessions AS plannedSessions, k.planned_interval_days AS plannedIntervalDays, k.status,
  k.started_on AS startedOn, k.notes, k.created_at AS createdAt, k.updated_at AS updatedAt,
  k.deleted_at AS deletedAt,
  (SELECT count(*) FROM sessions s WHERE s.course_id = k.id AND s.deleted_at IS NULL) AS sessionCount,
  (SELECT max(s.performed_at) FROM sessions s WHERE s.course_id = k.id AND s.deleted_at IS NULL)
    AS lastSessionAt
  FROM courses k`;

export function getCourse(db: Db, id: string): CourseRow | undefined {
  return stmt(db, `${SELECT} WHERE k.id = ?`).get(id) as CourseRow | undefined;
}

export function listCoursesOfClient(db: Db, clientId: string): CourseRow[] {
  return stmt(
    db,
    `${SELECT} WHERE k.client_id = ? AND k.deleted_at IS NULL ORDER BY k.started_on DESC, k.id DESC`,
  ).all(clientId) as CourseRow[];
}

export function insertCourse(db: Db, c: CourseRecord): void {
  stmt(
    db,
    `INSERT INTO courses (id, client_id, area, indication, planned_sessions, planned_interval_days, status,
       started_on, notes, created_at, updated_at, deleted_at)
     VALUES (@id, @clientId, @area, @indication, @plannedSessions, @plannedIntervalDays, @status,
       @startedOn, @notes, @createdAt, @updatedAt, @deletedAt)`,
  ).run(c);
}

export function updateCourse(db: Db, c: CourseRecord): void {
  stmt(
    db,
    `UPDATE courses SET area = @area, indication = @indication, planned_sessions = @plannedSessions,
       planned_interval_days = @plannedIntervalDays, status = @status, started_on = @startedOn,
       notes = @notes, updated_at = @updatedAt, deleted_at = @deletedAt
     WHERE id = @id`,
  ).run(c);
}
