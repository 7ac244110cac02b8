import fs from 'node:fs';
import path from 'node:path';
import {
  DamagedDatabaseError,
  closeDatabase,
  databasePath,
  encryptDatabaseFile,
  isPlaintextDatabase,
  openDatabase,
  openSqliteFile,
  type DataKey,
  type Db,
} from '../../db/connection.js';
import { quickCheck } from '../../db/health.js';
import { migrate } from '../../db/migrate.js';
import { fsyncDir, fsyncFile } from './durableFiles.js';
import { photoStore } from './photoStore.js';
import { readKeyFile, writeKeyFile } from './keySlots.js';
import {
  backupsDir,
  createBackup,
  inspectDatabaseFile,
  stamp,
  type BackupInfo,
  type RecordCounts,
} from './backups.js';
import { copyListedPhotos, verifyBackupFolder } from './backupFolder.js';

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
