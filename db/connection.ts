import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';

export type Db = Database.Database;

export const DB_FILE_NAME = 'needlelog.sqlite';

export function databasePath(dataDir: string): string {
  return path.join(dataDir, DB_FILE_NAME);
}

/** The database file exists but SQLite finds it damaged: say so, never start on an empty clinic. */
export class DamagedDatabaseError extends Error {
  constructor(
    readonly file: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`The clinic database is damaged and cannot be used safely (${detail}).`, options);
    this.name = 'DamagedDatabaseError';
  }
}

/**
 * better-sqlite3 in node_modules is built for Node (tests, CLI, browser host). Under Electron in
 * development, `npm start` builds a private copy for Electron's ABI and names it here; packaged
 * apps get theirs rebuilt by electron-builder and need nothing.
 */
export function sqliteOptions(extra: Database.Options = {}): Database.Options {
  const nativeBinding = process.env.NEEDLELOG_SQLITE_BINDING;
  return nativeBinding ? { ...extra, nativeBinding } : extra;
}

/** Opens any SQLite file with the binding this process must use. */
export function openSqliteFile(file: string, extra: Database.Options = {}): Database.Database {
  return new Database(file, sqliteOptions(extra));
}

const DAMAGE_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_VTAB',
]);

/**
 * Opens (creating if needed) the clinic database in `dataDir` and brings its schema up to date.
 * Clinical data favours durability over write speed, hence synchronous=FULL even under WAL.
 */
export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = databasePath(dataDir);
  const db = openSqliteFile(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // A quick structural check on every open: damage found now is damage not written on top of.
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw new DamagedDatabaseError(file, check);
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof Error && 'code' in err && DAMAGE_CODES.has(String(err.code))) {
      throw new DamagedDatabaseError(file, err.message, { cause: err });
    }
    throw err;
  }
}

export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    db.pragma('optimize');
  } finally {
    db.close();
  }
}
