import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { BackupRestore, BackupToFolder, type BackupSummary } from '../../contract/schemas.js';
import {
  DamagedDatabaseError,
  closeDatabase,
  databaseKey,
  databasePath,
  encryptDatabaseFile,
  isPlaintextDatabase,
  openDatabase,
  openFileReader,
  openSqliteFile,
  type DataKey,
  type Db,
} from '../../db/connection.js';
import {
  bytesInUse,
  integrityCheck,
  liveCount,
  quickCheck,
  schemaVersion,
  setJournalMode,
  vacuumInto,
} from '../../db/health.js';
import { allPhotoFiles } from '../../db/photos.js';
import { LATEST_VERSION, migrate } from '../../db/migrate.js';
import { backupsToKeep } from './backupRotation.js';
import { copyFileDurably, fsyncDir, fsyncFile } from './durableFiles.js';
import { AppError, notFound, parseInput } from './errors.js';
import { photoStore, PHOTO_VARIANTS } from './photoStore.js';
import { snapshotOffThread } from './dbWorkers.js';
import { keyFilePath, portableKeyFile, readKeyFile, writeKeyFile, KEY_FILE_NAME } from './keySlots.js';

/**
 * Backups are made with SQLite's `VACUUM INTO`, never by copying a live WAL database: the copy is
 * encrypted under the same key as the clinic (SQLite3MultipleCiphers keeps the key; its online
 * backup API refuses an encrypted source). Each one is checked with integrity_check before it
 * counts. Photo files never change, so backups inside the data directory refer to the same
 * (encrypted) photo files; a backup to a folder (an external drive) copies them, with a manifest of
 * hashes and the passphrase and recovery key slots (never the keychain slot: it opens only here).
 */

export type BackupReason = 'auto' | 'quit' | 'manual' | 'pre-restore' | 'pre-encrypt';

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

function stamp(d: Date): string {
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
async function snapshot(
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
export function pruneBackups(dataDir: string, now: Date = new Date()): string[] {
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

function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

interface Manifest {
  app: 'NeedleLog';
  kind: 'backup';
  format: 1;
  createdAt: string;
  schemaVersion: number;
  counts: RecordCounts;
  files: { path: string; bytes: number; sha256: string }[];
}

/**
 * A complete, self-contained copy on another drive: the database, every photo file it refers to
 * (deleted ones too, so they can still be restored), and a manifest with each file's SHA-256.
 */
export async function backupToFolder(
  db: Db,
  dataDir: string,
  destination: string,
  onProgress: (p: Progress) => void = () => {},
  now: Date = new Date(),
): Promise<{ folder: string; counts: RecordCounts; files: number }> {
  const folder = path.join(destination, `NeedleLog backup ${stamp(now)}`);
  fs.mkdirSync(folder, { recursive: false });
  onProgress({ done: 0, total: 1, label: 'Copying the database' });
  const dbFile = path.join(folder, 'needlelog.sqlite');
  const facts = await snapshot(db, dbFile, (fraction) =>
    onProgress({ done: Math.round(fraction * 100), total: 100, label: 'Copying the database' }),
  );
  const key = databaseKey(db);

  const copy = openSqliteFile(dbFile, key, { readonly: true });
  const fileIds = allPhotoFiles(copy).map((f) => f.fileId);
  copy.close();
  const keyFile = readKeyFile(dataDir);
  if (!keyFile)
    throw new Error(`${keyFilePath(dataDir)} is missing: the clinic's key slots cannot be copied.`);
  const slotsFile = path.join(folder, KEY_FILE_NAME);
  fs.writeFileSync(slotsFile, JSON.stringify(portableKeyFile(keyFile), null, 2), { mode: 0o600 });
  fsyncFile(slotsFile);
  const store = photoStore(dataDir);
  const files: Manifest['files'] = [
    { path: 'needlelog.sqlite', bytes: fs.statSync(dbFile).size, sha256: sha256File(dbFile) },
    { path: KEY_FILE_NAME, bytes: fs.statSync(slotsFile).size, sha256: sha256File(slotsFile) },
  ];
  const total = fileIds.length;
  for (const [i, fileId] of fileIds.entries()) {
    for (const variant of PHOTO_VARIANTS) {
      const source = store.pathOf(fileId, variant);
      if (!fs.existsSync(source)) continue;
      const rel = path.relative(store.root, source);
      const target = path.join(folder, 'photos', rel);
      await copyFileDurably(source, target);
      files.push({
        path: `photos/${rel.split(path.sep).join('/')}`,
        bytes: fs.statSync(target).size,
        sha256: sha256File(target),
      });
    }
    // Yield between photos so a host stays responsive during a long copy.
    if (i % 10 === 9) await new Promise((r) => setImmediate(r));
    onProgress({ done: i + 1, total, label: 'Copying photos' });
  }
  const manifest: Manifest = {
    app: 'NeedleLog',
    kind: 'backup',
    format: 1,
    createdAt: now.toISOString(),
    schemaVersion: facts.schemaVersion,
    counts: facts.counts,
    files,
  };
  const manifestFile = path.join(folder, MANIFEST);
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  fsyncFile(manifestFile);
  fsyncDir(folder);
  return { folder, counts: facts.counts, files: files.length };
}

/** Checks a backup folder against its manifest; throws a plain message on the first mismatch. */
export function verifyBackupFolder(folder: string): Manifest {
  const manifestFile = path.join(folder, MANIFEST);
  if (!fs.existsSync(manifestFile))
    throw new Error(`${folder} has no ${MANIFEST}: it is not a NeedleLog backup folder.`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  if (manifest.app !== 'NeedleLog' || manifest.kind !== 'backup' || !Array.isArray(manifest.files)) {
    throw new Error(`${manifestFile} is not a NeedleLog backup manifest.`);
  }
  if (!manifest.files.some((f) => f.path === 'needlelog.sqlite')) {
    throw new Error(`${manifestFile} does not list the database: the backup is incomplete.`);
  }
  for (const f of manifest.files) {
    const file = path.resolve(folder, f.path);
    if (!file.startsWith(path.resolve(folder) + path.sep))
      throw new Error(`The manifest names a file outside the backup: ${f.path}`);
    if (!fs.existsSync(file)) throw new Error(`The backup is missing ${f.path}.`);
    if (sha256File(file) !== f.sha256)
      throw new Error(`${f.path} does not match its recorded checksum: the backup is damaged.`);
  }
  return manifest;
}

/**
 * Replaces the data directory's database with a backup (a file from backups/, or a backup folder).
 * The caller must have closed its connection. The current state is backed up first, the source is
 * checked, photos it needs are copied in, and the swap is a rename: a crash leaves one or the other.
 */
export async function restoreBackup(
  dataDir: string,
  source: string,
  key: DataKey,
  now: Date = new Date(),
): Promise<{ preRestore: BackupInfo | null; counts: RecordCounts }> {
  const isFolder = fs.statSync(source).isDirectory();
  const manifest = isFolder ? verifyBackupFolder(source) : null;
  const sourceDb = isFolder ? path.join(source, 'needlelog.sqlite') : source;
  const here = readKeyFile(dataDir);
  const there = isFolder ? readKeyFile(source) : null;
  if (here && there && here.keyId !== there.keyId) {
    throw new Error(
      'This backup folder belongs to a clinic with another key; restore it into a new, empty data folder.',
    );
  }
  const facts = inspectDatabaseFile(sourceDb, key);

  // Take a private copy of the source first (the pre-restore backup below may rotate old ones away),
  // and bring it up to this app's schema (and encryption) and check it before anything is swapped.
  const target = databasePath(dataDir);
  const incoming = `${target}.restoring`;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.copyFileSync(sourceDb, incoming);
  let preRestore: BackupInfo | null = null;
  try {
    if (isPlaintextDatabase(incoming)) encryptDatabaseFile(incoming, key);
    prepareIncoming(incoming, key);
    fsyncFile(incoming);
    if (fs.existsSync(target)) {
      let current: Db | null = null;
      try {
        current = openDatabase(dataDir, key);
      } catch (err) {
        // Too damaged to copy through SQLite (often the reason for restoring): keep its files as they are.
        if (!(err instanceof DamagedDatabaseError)) throw err;
        setAsideDamaged(dataDir, now);
      }
      if (current) {
        try {
          preRestore = await createBackup(current, dataDir, 'pre-restore', now);
        } finally {
          closeDatabase(current);
        }
      }
    }
    if (manifest) await copyListedPhotos(source, manifest, photoStore(dataDir).root);
    // Restored into a new data folder: it takes the backup's passphrase and recovery slots.
    if (!here && there) writeKeyFile(dataDir, there);
  } catch (err) {
    fs.rmSync(incoming, { force: true });
    throw err;
  }

  // The old connection is closed (WAL checkpointed); stale -wal/-shm must not be replayed onto the restored file.
  fs.rmSync(`${target}-wal`, { force: true });
  fs.rmSync(`${target}-shm`, { force: true });
  fs.renameSync(incoming, target);
  fsyncDir(dataDir);
  return { preRestore, counts: facts.counts };
}

/** Migrates a restore candidate to this app's schema and checks it, so the swap cannot leave a bad file. */
function prepareIncoming(file: string, key: DataKey): void {
  const db = openSqliteFile(file, key);
  try {
    migrate(db);
    const check = quickCheck(db);
    if (check !== 'ok')
      throw new Error(`The backup failed its check after upgrading (${check}); nothing was changed.`);
  } finally {
    db.close();
  }
}

/** Moves the database and its WAL files into backups/damaged-<time>/, untouched, for later rescue. */
function setAsideDamaged(dataDir: string, now: Date): void {
  const target = databasePath(dataDir);
  const dir = path.join(backupsDir(dataDir), `damaged-${stamp(now)}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(`${target}${suffix}`))
      fs.renameSync(`${target}${suffix}`, path.join(dir, `needlelog.sqlite${suffix}`));
  }
  fsyncDir(dir);
  fsyncDir(dataDir);
}

/**
 * Photo files are named by content: copy in the ones the data directory does not have yet, and
 * only those the (already verified) manifest lists with their checksum.
 */
async function copyListedPhotos(folder: string, manifest: Manifest, toRoot: string): Promise<void> {
  for (const f of manifest.files) {
    if (!f.path.startsWith('photos/')) continue;
    const from = path.join(folder, ...f.path.split('/'));
    const to = path.join(toRoot, ...f.path.split('/').slice(1));
    if (fs.lstatSync(from).isSymbolicLink() || fs.existsSync(to)) continue;
    await copyFileDurably(from, to);
  }
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
