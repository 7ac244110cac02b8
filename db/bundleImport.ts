import type { Db } from './connection.js';
import type { BundleTable, RawRow } from './exportQueries.js';
import { stmt } from './statements.js';

// The writing side of an archive bundle's import: rows exactly as a bundle carries them (the
// reading side is in exportQueries.ts). Column names come from this database's own schema
// (`tableColumns`, PRAGMA table_info), never from the bundle; values are always bound.

/** A row of `table` by id, as stored. */
export function storedRow(db: Db, table: BundleTable, id: string): RawRow | undefined {
  return stmt(db, `SELECT * FROM ${table} WHERE id = ?`).get(id) as RawRow | undefined;
}

/** A session's zone rows as stored, in their order. */
export function storedZones(db: Db, sessionId: string): RawRow[] {
  return stmt(db, `SELECT * FROM session_zones WHERE session_id = ? ORDER BY position`).all(
    sessionId,
  ) as RawRow[];
}

/** Replaces a session's zone rows with `zones`, each with exactly the columns `cols`. */
export function replaceZones(db: Db, sessionId: string, cols: readonly string[], zones: readonly RawRow[]) {
  stmt(db, `DELETE FROM session_zones WHERE session_id = ?`).run(sessionId);
  const insert = stmt(
    db,
    `INSERT INTO session_zones (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`,
  );
  for (const z of zones) insert.run(z);
}

/** Writes rows of `table` with exactly the columns `cols`: a new one, or over the one with its id. */
export function rowWriter(db: Db, table: BundleTable, cols: readonly string[]) {
  const insert = stmt(
    db,
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`,
  );
  const update = stmt(
    db,
    `UPDATE ${table} SET ${cols
      .filter((c) => c !== 'id')
      .map((c) => `${c} = @${c}`)
      .join(', ')} WHERE id = @id`,
  );
  return { insert: (row: RawRow) => insert.run(row), update: (row: RawRow) => update.run(row) };
}
