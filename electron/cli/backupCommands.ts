import fs from 'node:fs';
import path from 'node:path';
import { closeDatabase, openDatabase, type DataKey } from '../../db/connection.js';
import { backupToFolder } from '../services/backupFolder.js';
import { backupsDir, createBackup, listBackups, type RecordCounts } from '../services/backups.js';
import { restoreBackup } from '../services/restoreBackup.js';
import { clinicState } from '../services/encryption.js';
import { readKeyFile, unlockWithSecret, WrongSecretError } from '../services/keySlots.js';
import { cliUnlock, NoSecretError, readSecret, type SecretSource } from './unlock.js';

// `needlelog backup`, `backups` and `restore`.

type Out = (line: string) => void;

export const describeCounts = (c: RecordCounts) =>
  `${c.clients} clients, ${c.courses} courses, ${c.sessions} sessions, ${c.photos} photos`;

export async function runBackup(
  dataDir: string,
  key: DataKey,
  to: string | undefined,
  out: Out,
  err: Out,
): Promise<number> {
  const db = openDatabase(dataDir, key);
  try {
    if (to === undefined) {
      const b = await createBackup(db, dataDir, 'manual');
      out(`Backup written and checked: ${b.file} (${describeCounts(b.counts)}).`);
      return 0;
    }
    const destination = path.resolve(to);
    const ready = backupDestination(destination);
    if (!ready.ok) {
      err(ready.message);
      return 1;
    }
    if (ready.created) out(`Created the folder ${destination}.`);
    let last = -1;
    const result = await backupToFolder(db, dataDir, destination, (p) => {
      const pct = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
      if (pct >= last + 10 || p.done === p.total) {
        last = pct;
        out(`  ${p.label}: ${p.done}/${p.total}`);
      }
    });
    out(
      `Backup folder written: ${result.folder} (${describeCounts(result.counts)}; ${result.files} files in the manifest).`,
    );
    return 0;
  } catch (e) {
    err(`Backup failed, nothing was changed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    closeDatabase(db);
  }
}

/** The folder a backup goes into, created (with its parents) when it does not exist yet. */
function backupDestination(folder: string): { ok: true; created: boolean } | { ok: false; message: string } {
  if (fs.existsSync(folder)) {
    return fs.statSync(folder).isDirectory()
      ? { ok: true, created: false }
      : { ok: false, message: `${folder} is a file, not a folder: give a folder to back up into.` };
  }
  try {
    fs.mkdirSync(folder, { recursive: true });
    return { ok: true, created: true };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(e));
    return { ok: false, message: `The folder ${folder} cannot be created (${why}).` };
  }
}

export function runListBackups(dataDir: string, key: DataKey, out: Out): number {
  const backups = listBackups(dataDir, key);
  if (backups.length === 0) {
    out(`No backups in ${backupsDir(dataDir)}.`);
    return 0;
  }
  for (const b of backups) {
    out(
      `${b.createdAt}  ${b.reason.padEnd(11)} ${(b.bytes / 1024 / 1024).toFixed(1).padStart(7)} MiB  ${describeCounts(b.counts)}  ${b.file}`,
    );
  }
  return 0;
}

export async function runRestore(
  dataDir: string,
  from: string,
  secrets: SecretSource,
  signIn: (key: DataKey) => Promise<string | null | number>,
  out: Out,
  err: Out,
): Promise<number> {
  if (!fs.existsSync(from)) {
    err(`There is no backup at ${from}.`);
    return 1;
  }
  // Into an existing clinic: its key. Into a new data folder: the key slots the backup folder carries.
  let key: DataKey | number;
  if (clinicState(dataDir) === 'new') {
    const slots = fs.statSync(from).isDirectory() ? readKeyFile(from) : null;
    if (!slots) {
      err(`${from} carries no key slots (needlelog.keys); restore a backup folder into a new data folder.`);
      return 1;
    }
    try {
      key = unlockWithSecret(
        slots,
        await readSecret(secrets, 'Passphrase or recovery key of the backup: '),
      ).key;
    } catch (e) {
      if (e instanceof WrongSecretError || e instanceof NoSecretError) {
        err(e.message);
        return 1;
      }
      throw e;
    }
  } else {
    // Over an existing clinic: a manager signs in (unless its database cannot be opened at all).
    key = await cliUnlock(dataDir, secrets, err);
    if (typeof key === 'number') return key;
    const who = await signIn(key);
    if (typeof who === 'number') return who;
  }
  try {
    const result = await restoreBackup(dataDir, from, key);
    out(`Restored ${describeCounts(result.counts)} from ${from}.`);
    if (result.preRestore) out(`The previous state was backed up first: ${result.preRestore.file}`);
    return 0;
  } catch (e) {
    err(`Restore refused, nothing was changed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
