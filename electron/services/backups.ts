import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { BackupRestore, BackupToFolder, type BackupSummary } from '../../contract/schemas.js';
import {
  databaseKey,
  isPlaintextDatabase,
  openFileReader,
  openSqliteFile,
  type DataKey,
  type Db,
} from '../../db/connection.js';
import {
  bytesInUse,
  integrityCheck,
  liveCount,
  schemaVersion,
  setJournalMode,
  vacuumInto,
} from '../../db/health.js';
import { LATEST_VERSION } from '../../db/migrate.js';
import { backupsToKeep } from './backupRotation.js';
import { fsyncDir, fsyncFile } from './durableFiles.js';
import { AppError, notFound, parseInput } from './errors.js';
import { snapshotOffThread } from './dbWorkers.js';

/**
 * Backups are made with SQLite's `VACUUM INTO`, never by copying a live WAL database: the copy is
 * encrypted under the same key as the clinic (SQLite3MultipleCiphers keeps the key; its online
 * backup API refuses an encrypted source). Each one is checked with integrity_check before it
 * counts. Photo files never change, so backups inside the data directory refer to the same
 * (encrypted) photo files; a backup to a folder (an external drive) copies them, with a manifest of
 * hashes and the passphrase and recovery key slots (never the keychain slot: it opens only here).
 */

type BackupReason = 'auto' | 'quit' | 'manual' | 'pre-restore' | 'pre-encrypt';

export interface RecordCounts {
  clients: number;
  courses: number;
  sessions: number;
  photos: number;
}

export interface BackupInfo {
  file: string;
  createdAt: string;
  reason: BackupReason;
  bytes: number;
  schemaVersion: number;
  counts: RecordCounts;
}

export interface Progress {
  done: number;
  total: number;
  label: string;
}

const NAME =
  /^needlelog-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)-(auto|quit|manual|pre-restore|pre-encrypt)\.sqlite$/;
export const MANIFEST = 'manifest.json';

export function backupsDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

export function stamp(d: Date): string {
  return d.toISOString().replace(/[:.]/g, '-');
}

function fromStamp(s: string): string {
  const [date, time] = s.split('T') as [string, string];
  const [hh, mm, ss, ms] = time.replace('Z', '').split('-');
  return `${date}T${hh}:${mm}:${ss}.${ms}Z`;
}

/**
 * Opens a database file read-only and checks it; throws with a plain message if it is not sound.
 * A plain-text file (a backup from before encryption) opens without the key.
 */
export function inspectDatabaseFile(
  file: string,
  key: DataKey | null,
): { schemaVersion: number; counts: RecordCounts } {
  let db: Db | undefined;
  try {
    db = openSqliteFile(file, isPlaintextDatabase(file) ? null : key, {
      readonly: true,
      fileMustExist: true,
    });
    const result = integrityCheck(db);
    if (result.length !== 1 || result[0] !== 'ok') {
      throw new Error(`${path.basename(file)} failed its integrity check.`);
    }
    const version = schemaVersion(db);
    if (version < 1) throw new Error(`${path.basename(file)} is not a NeedleLog database.`);
    if (version > LATEST_VERSION) {
      throw new Error(`${path.basename(file)} was written by a newer version of NeedleLog.`);
    }
    return {
      schemaVersion: version,
      counts: {
        clients: liveCount(db, 'clients'),
        courses: liveCount(db, 'courses'),
        sessions: liveCount(db, 'sessions'),
        photos: liveCount(db, 'photos'),
      },
    };
  } catch (err) {
    if (err instanceof Error && /integrity|not a NeedleLog|newer version/.test(err.message)) throw err;
    throw new Error(
      `${path.basename(file)} cannot be read as a database: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  } finally {
    db?.close();
  }
}

/** A file and the -wal/-shm companions SQLite may have left next to it. */
function removeWithCompanions(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Turns a fresh copy into one self-contained file: the copy inherits WAL mode from the live
 * database, and every later read-only open of a WAL file leaves -wal and -shm files beside it
 * (in the backups folder, on the external drive). In rollback-journal mode a reader leaves nothing.
 */
function asSingleFile(file: string, key: DataKey | null): void {
  const copy = openSqliteFile(file, key);
  try {
    setJournalMode(copy, 'DELETE');
  } finally {
    copy.close();
  }
}

/**
 * The worker thread's part of a backup (dbWorker.ts): VACUUM INTO `partial` on a connection of its
 * own to the clinic's `file`, made one self-contained file, checked, synced to disk.
 */
export function copyInto(
  file: string,
  key: DataKey | null,
  partial: string,
): { schemaVersion: number; counts: RecordCounts } {
  const db = openFileReader(file, key);
  try {
    vacuumInto(db, partial);
  } finally {
    db.close();
  }
  asSingleFile(partial, key);
  const facts = inspectDatabaseFile(partial, key);
  fsyncFile(partial);
  return facts;
}

/**
 * Online copy of the open database to `target` (under its key), checked before it gets its final
 * name. The copy and its check run on a database worker thread (seconds to minutes for a large
 * clinic, none of them on this thread); `onCopied` hears how far the copy has grown.
 */
export async function snapshot(
  db: Db,
  target: string,
  onCopied: (fraction: number) => void = () => {},
): Promise<{ schemaVersion: number; counts: RecordCounts }> {
  const key = databaseKey(db);
  const partial = `${target}.partial`;
  removeWithCompanions(partial);
  // The copy is about as large as the pages in use; its size on disk says how far it is.
  const expected = Math.max(1, bytesInUse(db));
  const timer = setInterval(() => {
    const size = fs.statSync(partial, { throwIfNoEntry: false })?.size ?? 0;
    onCopied(Math.min(0.99, size / expected));
  }, 250);
  try {
    const facts = await snapshotOffThread(db.name, key, partial);
    fs.renameSync(partial, target);
    fsyncDir(path.dirname(target));
    return facts;
  } catch (err) {
    removeWithCompanions(partial);
    throw err;
  } finally {
    clearInterval(timer);
  }
}

export function listBackups(dataDir: string, key: DataKey | null): BackupInfo[] {
  const dir = backupsDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  const out: BackupInfo[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    try {
      const facts = inspectDatabaseFile(file, key);
      out.push({
        file,
        createdAt: fromStamp(m[1] as string),
        reason: m[2] as BackupReason,
        bytes: fs.statSync(file).size,
        ...facts,
      });
    } catch {
      // A damaged backup is not offered for restore; `needlelog check` is the place to report it.
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Makes a checked backup inside the data directory and thins out old automatic ones. */
export async function createBackup(
  db: Db,
  dataDir: string,
  reason: BackupReason,
  now: Date = new Date(),
): Promise<BackupInfo> {
  const dir = backupsDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `needlelog-${stamp(now)}-${reason}.sqlite`);
  const facts = await snapshot(db, file);
  pruneBackups(dataDir, now);
  return { file, createdAt: now.toISOString(), reason, bytes: fs.statSync(file).size, ...facts };
}

/** Deletes automatic backups the rotation no longer keeps; manual and pre-restore ones stay. */
function pruneBackups(dataDir: string, now: Date = new Date()): string[] {
  const dir = backupsDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  const automatic = fs
    .readdirSync(dir)
    .map((name) => ({ name, m: NAME.exec(name) }))
    .filter((x) => x.m && (x.m[2] === 'auto' || x.m[2] === 'quit'))
    .map((x) => ({ name: x.name, createdAt: new Date(fromStamp(x.m![1] as string)) }));
  const keep = backupsToKeep(automatic, now);
  const removed = automatic.filter((b) => !keep.has(b.name)).map((b) => b.name);
  for (const name of removed) fs.rmSync(path.join(dir, name), { force: true });
  // Leftovers of a backup interrupted by a crash.
  for (const name of fs.readdirSync(dir).filter((n) => /\.partial(-wal|-shm)?$/.test(n))) {
    fs.rmSync(path.join(dir, name), { force: true });
  }
  return removed;
}

/** The newest backup that passes its integrity check, if any: what to offer when the database is damaged. */
export function newestGoodBackup(dataDir: string, key: DataKey | null): BackupInfo | null {
  return listBackups(dataDir, key)[0] ?? null;
}

/** The backups as the UI lists them: names inside the backups folder, never paths. */
export function backupService(ctx: { dataDir: string; db: Db }) {
  return {
    list(): BackupSummary[] {
      return listBackups(ctx.dataDir, databaseKey(ctx.db)).map(toSummary);
    },

    /** The file behind a listed backup name; only names in this data directory's backups folder resolve. */
    fileOf(input: z.input<typeof BackupRestore>): string {
      const { name } = parseInput(BackupRestore, input);
      const file = path.join(backupsDir(ctx.dataDir), name);
      if (!fs.existsSync(file)) throw notFound('backup');
      return file;
    },

    /** Checks a destination folder before a long copy starts, so the error lands next to the field. */
    checkFolder(input: z.input<typeof BackupToFolder>): string {
      const { folder } = parseInput(BackupToFolder, input);
      try {
        if (!fs.statSync(folder).isDirectory()) throw new Error('not a folder');
        fs.accessSync(folder, fs.constants.W_OK);
      } catch {
        throw new AppError('invalid_input', 'That folder does not exist or cannot be written to.', 'folder');
      }
      return folder;
    },
  };
}

export function toSummary(b: BackupInfo): BackupSummary {
  return {
    name: path.basename(b.file),
    createdAt: b.createdAt,
    reason: b.reason,
    bytes: b.bytes,
    schemaVersion: b.schemaVersion,
    counts: b.counts,
  };
}
