import type { Practitioner } from '../contract/schemas.js';
import type { Db } from './connection.js';
import { stmt } from './statements.js';

const COLUMNS = `id, name, credentials, role, created_at AS createdAt, updated_at AS updatedAt, deleted_at AS deletedAt`;

export function listPractitioners(db: Db): Practitioner[] {
  return stmt(
    db,
    `SELECT ${COLUMNS} FROM practitioners WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE`,
  ).all() as Practitioner[];
}

export function getPractitioner(db: Db, id: string): Practitioner | undefined {
  return stmt(db, `SELECT ${COLUMNS} FROM practitioners WHERE id = ?`).get(id) as Practitioner | undefined;
}

export function insertPractitioner(db: Db, p: Practitioner): void {
  stmt(
    db,
    `INSERT INTO practitioners (id, name, credentials, role, created_at, updated_at, deleted_at)
     VALUES (@id, @name, @credentials, @role, @createdAt, @updatedAt, @deletedAt)`,
  ).run(p);
}

export function updatePractitioner(db: Db, p: Practitioner): void {
  stmt(
    db,
    `UPDATE practitioners SET name = @name, credentials = @credentials, role = @role, updated_at = @updatedAt,
       deleted_at = @deletedAt WHERE id = @id`,
  ).run(p);
}

/** Live managers, to keep at least one. */
export function countManagers(db: Db): number {
  return (
    stmt(
      db,
      `SELECT count(*) AS n FROM practitioners WHERE role = 'manager' AND deleted_at IS NULL`,
    ).get() as {
      n: number;
    }
  ).n;
}
