import type { Db } from './connection.js';

// The statements that look at a database as a whole rather than at its records: the schema
// version, the journal mode, SQLite's own checks, record counts, the online copy. Used by backups,
// restore, the encryption upgrade and `needlelog check`.

/** PRAGMA user_version: the schema version the migrations wrote (0: not a NeedleLog database). */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function journalMode(db: Db): string {
  return String(db.pragma('journal_mode', { simple: true }));
}

export function setJournalMode(db: Db, mode: 'WAL' | 'DELETE'): void {
  db.pragma(`journal_mode = ${mode}`);
}

/** Every line PRAGMA integrity_check reports: just "ok" when the file is sound. */
export function integrityCheck(db: Db): string[] {
  return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
}

/** PRAGMA quick_check's first line: "ok" when sound (no index-content check, so faster). */
export function quickCheck(db: Db): string {
  return db.pragma('quick_check', { simple: true }) as string;
}

interface BrokenReference {
  table: string;
  rowid: number;
  parent: string;
}

/** PRAGMA foreign_key_check: rows whose parent is missing. */
export function foreignKeyProblems(db: Db): BrokenReference[] {
  return db.pragma('foreign_key_check') as BrokenReference[];
}

/** Tables whose rows the checks count. */
export type CountedTable = 'clients' | 'courses' | 'sessions' | 'photos' | 'audit_log';

/** Every row of `table`, soft-deleted ones included. */
export function rowCount(db: Db, table: CountedTable): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** The rows of `table` that are not soft-deleted. */
export function liveCount(db: Db, table: Exclude<CountedTable, 'audit_log'>): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE deleted_at IS NULL`).get() as { n: number }).n;
}

/** Whether the photos table has its encrypted-file columns (schema 9 on). */
export function hasPhotoFileColumns(db: Db): boolean {
  return (
    (
      db.prepare(`SELECT count(*) AS n FROM pragma_table_info('photos') WHERE name = 'file_id'`).get() as {
        n: number;
      }
    ).n > 0
  );
}

/** The bytes of the pages in use (free pages left out): about the size of a VACUUM INTO copy. */
export function bytesInUse(db: Db): number {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  return (pages - free) * (db.pragma('page_size', { simple: true }) as number);
}

/** An online, compacted copy of the open database (under its key) into a new file `target`. */
export function vacuumInto(db: Db, target: string): void {
  // VACUUM INTO takes no bound parameter for the file; the name is ours, quotes doubled.
  db.exec(`VACUUM INTO '${target.replace(/'/g, "''")}'`);
}
