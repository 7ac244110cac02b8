import fs from 'node:fs';
import path from 'node:path';
import type { ClinicStatus } from '../../contract/security.js';
import {
  closeDatabase,
  databasePath,
  encryptDatabaseFile,
  isPlaintextDatabase,
  openDatabase,
  openSqliteFile,
  type DataKey,
} from '../../db/connection.js';
import {
  integrityCheck,
  rowCount,
  schemaVersion,
  setJournalMode,
  type CountedTable,
} from '../../db/health.js';
import { immediateTransaction } from '../../db/transaction.js';
import { LATEST_VERSION, NewerSchemaError } from '../../db/migrate.js';
import { allPhotoFiles, setPhotoFile, unsealedPhotos } from '../../db/photos.js';
import { backupsDir, createBackup, type Progress } from './backups.js';
import { fsyncDir, fsyncFile } from './durableFiles.js';
import {
  createKeys,
  readKeyFile,
  recoverySlot,
  unlockWithSecret,
  withSlot,
  writeKeyFile,
  keychainSlot,
  newRecoveryKey,
  type Keychain,
  type ScryptParams,
} from './keySlots.js';
import { openSealedPhoto, photoStore, PHOTO_VARIANTS, type PhotoVariant } from './photoStore.js';

/** Marks an encryption upgrade in progress: until it is gone, a start resumes the upgrade. */
export const UPGRADE_MARKER = 'encryption-upgrade.json';

/** What a data folder holds, before anything is opened. */
export function clinicState(dataDir: string): Exclude<ClinicStatus['state'], 'open'> {
  const db = databasePath(dataDir);
  const hasDb = fs.existsSync(db) && fs.statSync(db).size > 0;
  const keyFile = readKeyFile(dataDir);
  if (fs.existsSync(path.join(dataDir, UPGRADE_MARKER))) return 'plaintext';
  if (keyFile) return 'locked';
  if (hasDb && isPlaintextDatabase(db)) return 'plaintext';
  if (hasDb) return 'locked'; // encrypted, but its key file is missing: unlocking says so
  return 'new';
}

/** A clinic made before encryption by a newer NeedleLog: refused before anything, as an encrypted one is on unlock. */
export function refuseNewerPlainClinic(dataDir: string): void {
  const file = databasePath(dataDir);
  if (clinicState(dataDir) !== 'plaintext' || !isPlaintextDatabase(file)) return;
  const db = openSqliteFile(file, null, { readonly: true, fileMustExist: true });
  try {
    const version = schemaVersion(db);
    if (version > LATEST_VERSION) throw new NewerSchemaError(version, LATEST_VERSION);
  } finally {
    db.close();
  }
}

export interface KeyOptions {
  keychain?: Keychain;
  /** Test-only: cheaper scrypt. Production code never passes it (N = 2^17 by default). */
  scrypt?: ScryptParams;
}

/** A new, empty encrypted clinic: the key file first, then the database under the key. */
export function setUpClinic(dataDir: string, passphrase: string, options: KeyOptions = {}) {
  if (clinicState(dataDir) !== 'new') throw new Error('This data folder already holds a clinic.');
  const keys = createKeys(passphrase, options);
  writeKeyFile(dataDir, keys.keyFile);
  closeDatabase(openDatabase(dataDir, keys.key));
  return { key: keys.key, recoveryKey: keys.recoveryKey };
}

interface UpgradeReport {
  key: DataKey;
  /** A fresh recovery key, to be shown once. */
  recoveryKey: string;
  photosSealed: number;
  plaintextBackupsRemoved: number;
  /** Photo rows whose plain file was missing, so they could not be sealed (also in `needlelog check`). */
  photosMissing: number;
}

const count = (file: string, key: DataKey | null) => {
  const db = openSqliteFile(file, key, { readonly: true, fileMustExist: true });
  try {
    const n = (t: CountedTable) => rowCount(db, t);
    return `${n('clients')}/${n('courses')}/${n('sessions')}/${n('photos')}/${n('audit_log')}`;
  } finally {
    db.close();
  }
};

/**
 * Encrypts a clinic made before encryption, resumable after a crash at any step:
 * 1. a plain backup first (kept until the end), and the upgrade marker;
 * 2. the key file (passphrase, recovery and keychain slots);
 * 3. the database: a copy is rekeyed (rollback journal), verified (integrity and the same record
 *    counts), switched back to WAL and renamed over the original, so the original stays whole
 *    until the encrypted one is;
 * 4. each photo: its three sizes sealed and written durably under a new name, then its row
 *    updated, then the plain files removed;
 * 5. verification (every photo opens), then plain backups and leftovers removed, marker last.
 * A restart with the marker present repeats what is not done yet, with the same passphrase.
 */
export async function encryptClinic(
  dataDir: string,
  passphrase: string,
  options: KeyOptions & { onProgress?: (p: Progress) => void; now?: () => Date } = {},
): Promise<UpgradeReport> {
  const progress = options.onProgress ?? (() => {});
  const file = databasePath(dataDir);
  const marker = path.join(dataDir, UPGRADE_MARKER);

  // 1 + 2: a plain backup, then the keys. A key file from an interrupted run is reused, so the
  // database and photos already sealed under it stay readable.
  let keyFile = readKeyFile(dataDir);
  let key: DataKey;
  if (!keyFile) {
    if (!fs.existsSync(file) || !isPlaintextDatabase(file))
      throw new Error('There is no plain clinic to encrypt here.');
    progress({ done: 0, total: 1, label: 'Backing up before encrypting' });
    const plain = openDatabase(dataDir, null);
    try {
      await createBackup(plain, dataDir, 'pre-encrypt', options.now?.() ?? new Date());
    } finally {
      closeDatabase(plain);
    }
    writeMarker(marker);
    const keys = createKeys(passphrase, options);
    writeKeyFile(dataDir, keys.keyFile);
    keyFile = keys.keyFile;
    key = keys.key;
  } else {
    if (!fs.existsSync(marker)) writeMarker(marker);
    key = unlockWithSecret(keyFile, passphrase).key;
  }
  // Whatever recovery key an interrupted run made was never shown for sure: make a new one.
  const recoveryKey = newRecoveryKey();
  keyFile = withSlot(keyFile, recoverySlot(keyFile.keyId, key, recoveryKey));
  const chain = keychainSlot(key, options.keychain);
  if (chain) keyFile = withSlot(keyFile, chain);
  writeKeyFile(dataDir, keyFile);

  // 3: the database, on a copy.
  if (isPlaintextDatabase(file)) {
    progress({ done: 0, total: 1, label: 'Encrypting the database' });
    const plain = openDatabase(dataDir, null); // migrates (photo file columns) and checkpoints on close
    closeDatabase(plain);
    const copy = `${file}.encrypting`;
    fs.rmSync(copy, { force: true });
    fs.copyFileSync(file, copy);
    encryptDatabaseFile(copy, key);
    const check = openSqliteFile(copy, key);
    try {
      const result = integrityCheck(check)[0];
      if (result !== 'ok')
        throw new Error(`The encrypted copy failed its check (${result}); nothing was changed.`);
      setJournalMode(check, 'WAL');
    } finally {
      check.close();
    }
    if (count(copy, key) !== count(file, null))
      throw new Error('The encrypted copy does not hold the same records; nothing was changed.');
    fsyncFile(copy);
    fs.rmSync(`${file}-wal`, { force: true });
    fs.rmSync(`${file}-shm`, { force: true });
    fs.renameSync(copy, file);
    fsyncDir(dataDir);
  }
  fs.rmSync(`${file}.encrypting`, { force: true });

  // 4: the photos, one at a time, each durable before its row points at it.
  const db = openDatabase(dataDir, key);
  const store = photoStore(dataDir);
  let sealed = 0;
  let missing = 0;
  try {
    const pending = unsealedPhotos(db);
    for (const [i, photo] of pending.entries()) {
      const plain = {} as Record<PhotoVariant, Buffer>;
      const present = PHOTO_VARIANTS.every((v) => fs.existsSync(store.legacyPathOf(photo.sha256, v)));
      if (!present) {
        missing += 1;
        continue;
      }
      for (const v of PHOTO_VARIANTS)
        plain[v] = await fs.promises.readFile(store.legacyPathOf(photo.sha256, v));
      const ref = store.newRef();
      await store.put(ref, plain);
      immediateTransaction(db, () => setPhotoFile(db, photo.id, ref));
      // The plain files go once no other row still waits for them.
      if (!unsealedPhotos(db).some((p) => p.sha256 === photo.sha256)) {
        for (const v of PHOTO_VARIANTS) fs.rmSync(store.legacyPathOf(photo.sha256, v), { force: true });
      }
      sealed += 1;
      progress({ done: i + 1, total: pending.length, label: 'Encrypting photos' });
    }

    // 5: verify, then clear what is left in plain form.
    progress({ done: 0, total: 1, label: 'Checking the encrypted clinic' });
    const check = integrityCheck(db)[0];
    if (check !== 'ok') throw new Error(`The encrypted database failed its check (${check}).`);
    const files = allPhotoFiles(db);
    const referenced = new Set(files.map((f) => f.fileId));
    for (const f of files) {
      openSealedPhoto(
        f.fileKey,
        f.fileId,
        'full',
        await fs.promises.readFile(store.pathOf(f.fileId, 'full')),
      );
    }
    // Files sealed by a run killed before its row was updated.
    for (const id of store.listFileIds()) if (!referenced.has(id)) store.remove(id);
    const stillPlain = new Set(unsealedPhotos(db).map((p) => p.sha256));
    for (const sha of store.listLegacyHashes()) {
      if (stillPlain.has(sha)) continue;
      for (const v of PHOTO_VARIANTS) fs.rmSync(store.legacyPathOf(sha, v), { force: true });
    }
  } finally {
    closeDatabase(db);
  }
  const removed = removePlainBackups(dataDir);
  fs.rmSync(marker, { force: true });
  fsyncDir(dataDir);
  return { key, recoveryKey, photosSealed: sealed, plaintextBackupsRemoved: removed, photosMissing: missing };
}

/** Only after the encrypted clinic is verified: the plain backups would give everything away. */
function removePlainBackups(dataDir: string): number {
  const dir = backupsDir(dataDir);
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const name of fs.readdirSync(dir)) {
    const f = path.join(dir, name);
    if (fs.statSync(f).isFile() && isPlaintextDatabase(f)) {
      fs.rmSync(f, { force: true });
      n += 1;
    }
  }
  fsyncDir(dir);
  return n;
}

function writeMarker(marker: string): void {
  fs.writeFileSync(marker, JSON.stringify({ startedAt: new Date().toISOString() }));
  fsyncFile(marker);
  fsyncDir(path.dirname(marker));
}

/** Said once the upgrade is done: deleted files may survive in the disk's free blocks. */
export const DISK_BLOCKS_NOTE =
  'The plain copies were deleted, but a disk can keep old blocks for a while: full-disk encryption (BitLocker, FileVault, LUKS) is still recommended.';
