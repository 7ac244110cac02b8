import type { Db } from './connection.js';
import { stmt } from './statements.js';

interface DraftRow {
  courseId: string;
  data: unknown;
  updatedAt: string;
}

export function getDraft(db: Db, courseId: string): DraftRow | undefined {
  const row = stmt(
    db,
    `SELECT course_id AS courseId, data_json AS data, updated_at AS updatedAt FROM session_drafts WHERE course_id = ?`,
  ).get(courseId) as { courseId: string; data: string; updatedAt: string } | undefined;
  return row && { ...row, data: JSON.parse(row.data) as unknown };
}

export function saveDraft(db: Db, courseId: string, data: unknown, at: string): void {
  stmt(
    db,
    `INSERT INTO session_drafts (course_id, data_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (course_id) DO UPDATE SET data_json = excluded.data_json, updated_at = excluded.updated_at`,
  ).run(courseId, JSON.stringify(data), at);
}

export function deleteDraft(db: Db, courseId: string): void {
  stmt(db, `DELETE FROM session_drafts WHERE course_id = ?`).run(courseId);
}
