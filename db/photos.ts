import type { Photo } from '../contract/schemas.js';
import type { Db } from './connection.js';
import { SESSION_NUMBER } from './sessions.js';
import { stmt } from './statements.js';

/** A photo row as stored; the service adds the URLs the renderer loads it from. */
type PhotoRecord = Omit<Photo, 'urls' | 'sessionAt' | 'sessionNumber'> & { mime: string };
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

/** Where a photo's encrypted files are and the key that opens them: never sent to the renderer. */
interface PhotoFile {
  fileId: string;
  fileKey: Buffer;
}

export function insertPhoto(db: Db, p: PhotoRecord & PhotoFile): void {
  stmt(
    db,
    `INSERT INTO photos (id, session_id, kind, view, sha256, mime, width, height, bytes, taken_at,
       consent_scope, created_at, updated_at, deleted_at, file_id, file_key)
     VALUES (@id, @sessionId, @kind, @view, @sha256, @mime, @width, @height, @bytes, @takenAt,
       @consentScope, @createdAt, @updatedAt, @deletedAt, @fileId, @fileKey)`,
  ).run(p);
}

/** The encrypted file of a photo row, or null for a row whose file is not sealed yet (before the upgrade). */
export function photoFileOf(db: Db, id: string): PhotoFile | null {
  const row = stmt(db, `SELECT file_id AS fileId, file_key AS fileKey FROM photos WHERE id = ?`).get(id) as
    { fileId: string | null; fileKey: Buffer | null } | undefined;
  return row?.fileId && row.fileKey ? { fileId: row.fileId, fileKey: row.fileKey } : null;
}

export function setPhotoFile(db: Db, id: string, file: PhotoFile): void {
  stmt(db, `UPDATE photos SET file_id = @fileId, file_key = @fileKey WHERE id = @id`).run({ id, ...file });
}

/** Rows stored before encryption, whose files are still plain and named by hash. */
export function unsealedPhotos(db: Db): { id: string; sha256: string }[] {
  return stmt(db, `SELECT id, sha256 FROM photos WHERE file_id IS NULL ORDER BY id`).all() as {
    id: string;
    sha256: string;
  }[];
}

export function updatePhoto(db: Db, p: PhotoRow): void {
  stmt(
    db,
    `UPDATE photos SET kind = @kind, view = @view, updated_at = @updatedAt, deleted_at = @deletedAt WHERE id = @id`,
  ).run(p);
}

/** Every file id a photo row points to, deleted ones included: a soft-deleted photo can still be restored. */
export function referencedPhotoFiles(db: Db): Set<string> {
  const rows = stmt(db, `SELECT file_id AS f FROM photos WHERE file_id IS NOT NULL`).all() as { f: string }[];
  return new Set(rows.map((r) => r.f));
}

/** Every photo row's encrypted file with its key (deleted ones too), for backups and checks. */
export function allPhotoFiles(db: Db): PhotoFile[] {
  return stmt(
    db,
    `SELECT file_id AS fileId, file_key AS fileKey FROM photos WHERE file_id IS NOT NULL`,
  ).all() as PhotoFile[];
}
