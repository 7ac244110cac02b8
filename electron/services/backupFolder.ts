import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { databaseKey, openSqliteFile, type Db } from '../../db/connection.js';
import { allPhotoFiles } from '../../db/photos.js';
import { copyFileDurably, fsyncDir, fsyncFile } from './durableFiles.js';
import { photoStore, PHOTO_VARIANTS } from './photoStore.js';
import { keyFilePath, portableKeyFile, readKeyFile, KEY_FILE_NAME } from './keySlots.js';
import { MANIFEST, snapshot, stamp, type Progress, type RecordCounts } from './backups.js';

/*
 * A backup to a folder outside the data directory (an external drive): the database, its photos,
 * a manifest of hashes and the portable key slots; and the check of such a folder before a restore.
 */

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
 * Photo files are named by content: copy in the ones the data directory does not have yet, and
 * only those the (already verified) manifest lists with their checksum.
 */
export async function copyListedPhotos(folder: string, manifest: Manifest, toRoot: string): Promise<void> {
  for (const f of manifest.files) {
    if (!f.path.startsWith('photos/')) continue;
    const from = path.join(folder, ...f.path.split('/'));
    const to = path.join(toRoot, ...f.path.split('/').slice(1));
    if (fs.lstatSync(from).isSymbolicLink() || fs.existsSync(to)) continue;
    await copyFileDurably(from, to);
  }
}
