import type { AdverseEvent } from '../contract/schemas.js';
import type { Db } from './connection.js';
import { stmt } from './statements.js';

const SELECT = `SELECT a.id, a.session_id AS sessionId, a.kind, a.severity, a.onset_on AS onsetOn,
  a.resolved_on AS resolvedOn, a.notes, a.created_at AS createdAt, a.updated_at AS updatedAt,
  a.deleted_at AS deletedAt FROM adverse_events a`;

export function getAdverseEvent(db: Db, id: string): AdverseEvent | undefined {
  return stmt(db, `${SELECT} WHERE a.id = ?`).get(id) as AdverseEvent | undefined;
}

export function listAdverseEventsOfCourse(db: Db, courseId: string): AdverseEvent[] {
  return stmt(
    db,
    `${SELECT} JOIN sessions s ON s.id = a.session_id
     WHERE s.course_id = ? AND a.deleted_at IS NULL AND s.deleted_at IS NULL
     ORDER BY s.performed_at, a.onset_on, a.id`,
  ).all(courseId) as AdverseEvent[];
}

export function insertAdverseEvent(db: Db, a: AdverseEvent): void {
  stmt(
    db,
    `INSERT INTO adverse_events (id, session_id, kind, severity, onset_on, resolved_on, notes,
       created_at, updated_at, deleted_at)
     VALUES (@id, @sessionId, @kind, @severity, @onsetOn, @resolvedOn, @notes,
       @createdAt, @updatedAt, @deletedAt)`,
  ).run(a);
}

export function updateAdverseEvent(db: Db, a: AdverseEvent): void {
  stmt(
    db,
    `UPDATE adverse_events SET kind = @kind, severity = @severity, onset_on = @onsetOn,
       resolved_on = @resolvedOn, notes = @notes, updated_at = @updatedAt, deleted_at = @deletedAt
     WHERE id = @id`,
  ).run(a);
}
