import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { CHECKPOINT_BACKSTOP_PAGES } from './checkpoint.js';
import { migrate } from './migrate.js';

export type Db = Database.Database;

const DB_FILE_NAME = 'needlelog.sqlite';

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
function sqliteOptions(extra: Database.Options = {}): Database.Options {
  const nativeBinding = process.env.NEEDLELOG_SQLITE_BINDING;
  return nativeBinding ? { ...extra, nativeBinding } : extra;
}

/**
 * The clinic's data key (32 random bytes, never stored in plain text: see keySlots.ts). The
 * database is encrypted under a key derived from it, so no other use of the data key ever meets
 * the same bytes.
 */
export type DataKey = Buffer;
export const DATA_KEY_BYTES = 32;

/** A sub-key of the data key for one purpose (HKDF-SHA256). */
export function deriveKey(dataKey: DataKey, purpose: string): Buffer {
  if (dataKey.length !== DATA_KEY_BYTES) throw new Error('A data key is 32 bytes.');
  return Buffer.from(crypto.hkdfSync('sha256', dataKey, Buffer.alloc(0), `NeedleLog ${purpose}`, 32));
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** True when the file starts with SQLite's plain-text header (an unencrypted database). */
export function isPlaintextDatabase(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.equals(SQLITE_HEADER);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * SQLCipher 4 format (AES-256-CBC pages with an HMAC-SHA512 each) with a raw 256-bit key: the key
 * is already random, so SQLCipher's passphrase KDF is skipped (README, "Encryption").
 */
function applyKey(db: Database.Database, key: DataKey): void {
  const dbKey = deriveKey(key, 'database');
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  // PRAGMA takes no bound parameters; the value is hex of our own bytes.
  db.pragma(`key = "x'${dbKey.toString('hex')}'"`);
  dbKey.fill(0);
}

/**
 * Opens any SQLite file with the binding this process must use, under the clinic's key; `null`
 * only for a plain-text database (one made before encryption, on its way to being encrypted).
 */
export function openSqliteFile(
  file: string,
  key: DataKey | null,
  extra: Database.Options = {},
): Database.Database {
  const db = new Database(file, sqliteOptions(extra));
  try {
    if (key) {
      applyKey(db, key);
      keys.set(db, key);
    }
    // The library is built with SQLITE_TEMP_STORE=1 (temporary files by default), and a temporary
    // file (a sort, an index build, a large INSERT … SELECT) is never encrypted: it would hold
    // clinic values in the clear. Every connection keeps them in memory instead.
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * A read-only connection to a database `file` that another connection may be writing (a worker
 * thread's backup copy or integrity check): it waits for a lock rather than failing at once.
 */
export function openFileReader(file: string, key: DataKey | null): Database.Database {
  const db = openSqliteFile(file, key, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Encrypts a closed plain-text database file in place under `key` (SQLite3MultipleCiphers' rekey,
 * which needs a rollback journal, not WAL). Callers run it on a copy and swap the copy in only
 * once it is verified, so a crash part-way never touches the original.
 */
export function encryptDatabaseFile(file: string, key: DataKey): void {
  const db = new Database(file, sqliteOptions());
  try {
    db.pragma('temp_store = MEMORY'); // as every clinic connection (openSqliteFile)
    db.pragma('journal_mode = DELETE');
    const dbKey = deriveKey(key, 'database');
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`rekey = "x'${dbKey.toString('hex')}'"`);
    dbKey.fill(0);
  } finally {
    db.close();
  }
}

const keys = new WeakMap<Database.Database, DataKey>();

/** The key an open clinic database was opened with (null: a plain-text one), for its backups. */
export function databaseKey(db: Database.Database): DataKey | null {
  return keys.get(db) ?? null;
}

/** The clinic's database is encrypted and was opened without a key (or the other way round). */
export class KeyMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyMismatchError';
  }
}

const DAMAGE_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_VTAB',
]);

/** Whether an SQLite error code says the file is damaged. */
export function isDamageCode(code: string): boolean {
  return DAMAGE_CODES.has(code);
}

/**
 * Opens (creating if needed) the clinic database in `dataDir` under `key` and brings its schema up
 * to date. Clinical data favours durability over write speed, hence synchronous=FULL even under WAL.
 * `key` is null only for a plain-text database made before encryption (the upgrade opens it so).
 *
 * `check: false` leaves out the quick_check on open (seconds for a large clinic): only for a caller
 * that runs it off the thread instead (checkDatabaseOffThread) and serves nothing before it is ok.
 * A file damaged at its start or in its schema is refused here either way (opening reads them).
 */
export function openDatabase(
  dataDir: string,
  key: DataKey | null,
  { check = true }: { check?: boolean } = {},
): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = databasePath(dataDir);
  const exists = fs.existsSync(file) && fs.statSync(file).size > 0;
  if (exists && key && isPlaintextDatabase(file)) {
    throw new KeyMismatchError('The clinic database is not encrypted yet: it must be encrypted first.');
  }
  if (exists && !key && !isPlaintextDatabase(file)) {
    throw new KeyMismatchError('The clinic database is encrypted: it needs the clinic key to open.');
  }
  const db = openSqliteFile(file, key);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Checkpoints run after writes, not inside them (db/checkpoint.ts).
    db.pragma(`wal_autocheckpoint = ${CHECKPOINT_BACKSTOP_PAGES}`);
    // Every page read from the file is decrypted (AES-256 and an HMAC-SHA512 per 4 KiB page), so
    // the pages the screens read again and again (the client list and its search index, the
    // overview's aggregates) are kept decrypted in a page cache of up to 64 MiB, filled only as
    // pages are read, instead of SQLite's default 2 MiB (at 100,000 clients a client search took
    // 30 ms of CPU with 2 MiB, re-decrypting its pages every time, and 4 ms with this).
    db.pragma(`cache_size = ${-MAIN_CACHE_KIB}`);
    // A quick structural check on every open: damage found now is damage not written on top of.
    if (check) {
      const result = db.pragma('quick_check', { simple: true }) as string;
      if (result !== 'ok') throw new DamagedDatabaseError(file, result);
    }
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof Error && 'code' in err && isDamageCode(String(err.code))) {
      throw new DamagedDatabaseError(file, err.message, { cause: err });
    }
    throw err;
  }
}

/** The page cache of the app's own connection, KiB. */
export const MAIN_CACHE_KIB = 64 * 1024;

/**
 * A second, read-only connection to an open clinic database (same file, same key) for long reads
 * such as a clinic-wide export. It holds one read transaction from its first read until it is
 * closed, so under WAL it reads one consistent snapshot while the app keeps writing on its own
 * connection; its page cache (`cacheMiB`, filled only as pages are read) keeps every page of a
 * large read decrypted once. Sorting stays in memory (temp_store), so no plain-text temporary
 * file is ever written. Null for an in-memory database, which has no file.
 */
export function openReader(db: Db, cacheMiB: number): Db | null {
  if (db.memory) return null;
  const reader = openFileReader(db.name, databaseKey(db));
  try {
    reader.pragma(`cache_size = ${-Math.round(cacheMiB * 1024)}`);
    reader.pragma('temp_store = MEMORY');
    // Deferred: the snapshot is the one the first read sees; closing the connection ends it.
    reader.exec('BEGIN');
    return reader;
  } catch (err) {
    reader.close();
    throw err;
  }
}

/**
 * One more connection to a clinic database another connection opened (a worker thread's): the
 * same key and per-connection settings; no migration, no check (the first connection ran them).
 */
export function openMoreConnection(file: string, key: DataKey | null): Db {
  const db = openSqliteFile(file, key);
  try {
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Makes the connection refuse every write (SQLITE_READONLY) or allow them again: a clinic is
 * query-only while its integrity check runs off the thread, and for good when the check fails.
 */
export function setQueryOnly(db: Db, on: boolean): void {
  db.pragma(`query_only = ${on ? 'ON' : 'OFF'}`);
}

/**
 * For one very large transaction on a worker's connection: the WAL is not checkpointed inside its
 * commit (it would double the commit's time); the worker checkpoints after it has answered.
 */
export function pauseAutoCheckpoint(db: Db): void {
  db.pragma('wal_autocheckpoint = 0');
}

/** Copies the WAL into the database file as far as readers allow, blocking no one. */
export function checkpointPassive(db: Db): void {
  db.pragma('wal_checkpoint(PASSIVE)');
}

export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    // A query-only connection (a clinic whose integrity check is not ok) is closed as it is.
    if (!db.pragma('query_only', { simple: true })) db.pragma('optimize');
  } finally {
    db.close();
  }
}
