import type { Db } from '../connection.js';
import { stmt } from '../statements.js';

/**
 * Photo files this room has settled with the relay: sent there, or fetched from it. The others
 * are what the next round sends (files this room holds) or fetches (files it lacks).
 */
export function unsettledPhotoFiles(db: Db): { fileId: string; fileKey: Buffer }[] {
  return stmt(
    db,
    `SELECT file_id AS fileId, file_key AS fileKey FROM photos p
     WHERE file_id IS NOT NULL AND file_key IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sync_files s WHERE s.file_id = p.file_id)
     ORDER BY id`,
  ).all() as { fileId: string; fileKey: Buffer }[];
}

export function markFilesSettled(db: Db, fileIds: readonly string[]): void {
  if (fileIds.length === 0) return;
  const at = new Date().toISOString();
  const insert = stmt(db, `INSERT OR IGNORE INTO sync_files (file_id, settled_at) VALUES (?, ?)`);
  db.transaction(() => {
    for (const id of fileIds) insert.run(id, at);
  })();
}
