import type { Photo } from '../contract/schemas.js';
import type { Db } from './connection.js';
import { SESSION_NUMBER } from './sessions.js';
import { stmt } from './statements.js';

/** A photo row as stored; the service adds the URLs the renderer loads it from. */
export type PhotoRecord = Omit<Photo, 'urls' | 'sessionAt' | 'sessionNumber'> & { mime: string };
export type PhotoRow = Omit<Photo, 'urls'>;

const SELECT = `SELECT p.id, p.session_id AS sessionId, p.kind, p.view, p.sha256, p.width, p.height, p.bytes,
  p.taken_at AS takenAt, p.consent_scope AS consentScope, s.performed_at AS sessionAt,
  ${SESSION_NUMBER} AS sessionNumber,
  p.created_at AS createdAt, p.updated_at AS updatedAt,
  p.deleted_at AS deletedAt
  FROM photos p JOIN sessions s ON s.id = p.session_id`;

export function getPhoto(db: Db, id: string): PhotoRow | undefined {
  return stmt(db, `${SELECT} WHERE p.id = ?`).get(id) as PhotoRow | undefined;
}

export function listPhotosOfCourse(db: Db, courseId: string): PhotoRow[] {
  return stmt(
    db,
    `${SELECT} WHERE s.course_id = ? AND p.deleted_at IS NULL AND s.deleted_at IS NULL
     ORDER BY s.performed_at, p.kind, p.view, p.created_at`,
  ).all(courseId) as PhotoRow[];
}

/** The live photo of this exact image already filed under the same session, kind and view, if any. */
export function findSamePhoto(
  db: Db,
  sessionId: string,
  kind: string,
  view: string,
  sha256: string,
): string | null {
  const row = stmt(
    db,
    `SELECT id FROM photos WHERE session_id = ? AND kind = ? AND view = ? AND sha256 = ? AND deleted_at IS NULL`,
  ).get(sessionId, kind, view, sha256) as { id: string } | undefined;
  return row?.id ?? null;
}

export function insertPhoto(db: Db, p: PhotoRecord): void {
  stmt(
    db,
    `INSERT INTO photos (id, session_id, kind, view, sha256, mime, width, height, bytes, taken_at,
       consent_scope, created_at, updated_at, deleted_at)
     VALUES (@id, @sessionId, @kind, @view, @sha256, @mime, @width, @height, @bytes, @takenAt,
       @consentScope, @createdAt, @updatedAt, @deletedAt)`,
  ).run(p);
}

export function updatePhoto(db: Db, p: PhotoRow): void {
  stmt(
    db,
    `UPDATE photos SET kind = @kind, view = @view, updated_at = @updatedAt, deleted_at = @deletedAt WHERE id = @id`,
  ).run(p);
}

/** Every hash a photo row points to, deleted ones included: a soft-deleted photo can still be restored. */
export function referencedPhotoHashes(db: Db): Set<string> {
  const rows = stmt(db, `SELECT DISTINCT sha256 FROM photos`).all() as { sha256: string }[];
  return new Set(rows.map((r) => r.sha256));
}
