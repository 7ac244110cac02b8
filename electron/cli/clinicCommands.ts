import { closeDatabase, openDatabase, type DataKey } from '../../db/connection.js';
import { demoClinic, hashDemoPins, loadDemoStep } from '../services/demo.js';
import { loadDemoPhotos } from '../services/demoPhotos.js';
import { clinicState, encryptClinic, setUpClinic, DISK_BLOCKS_NOTE } from '../services/encryption.js';
import { createServices } from '../services/index.js';
import { readKeyFile, WrongSecretError } from '../services/keySlots.js';
import { checkDataDir } from './check.js';
import {
  cliUnlock,
  cliUnlockWithSecret,
  NoSecretError,
  readNewPassphrase,
  readSecret,
  type SecretSource,
} from './unlock.js';

// The commands about the clinic as a whole: a demo clinic, the encryption upgrade, the check, and
// setting up a new encrypted clinic where a command needs one.

type Out = (line: string) => void;

export async function runDemo(dataDir: string, secrets: SecretSource, out: Out, err: Out): Promise<number> {
  let db;
  let recoveryKey: string | null = null;
  try {
    let key: DataKey | number;
    if (clinicState(dataDir) === 'new') {
      const made = setUpClinic(dataDir, await readNewPassphrase(secrets));
      key = made.key;
      recoveryKey = made.recoveryKey;
    } else {
      key = await cliUnlock(dataDir, secrets, err);
      if (typeof key === 'number') return key;
    }
    db = openDatabase(dataDir, key);
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 1;
  }
  if (recoveryKey) printRecoveryKey(recoveryKey, out);
  try {
    const services = createServices(db);
    const existing =
      services.clients.list({ limit: 1 }).total + services.clients.list({ limit: 1, deleted: true }).total;
    if (existing > 0) {
      err(
        `${dataDir} already holds ${existing}+ clients; the demo clinic only goes into an empty data directory.`,
      );
      return 1;
    }
    const plan = demoClinic();
    await hashDemoPins(plan);
    loadDemoStep(services, plan, -1);
    let photos = 0;
    for (let i = 0; i < plan.clients.length; i++) {
      loadDemoStep(services, plan, i);
      photos += await loadDemoPhotos(services, plan, i);
    }
    const sessions = plan.clients.reduce(
      (n, c) => n + c.courses.reduce((m, k) => m + k.sessions.length, 0),
      0,
    );
    const courses = plan.clients.reduce((n, c) => n + c.courses.length, 0);
    out(
      `Demo clinic written to ${dataDir}: ${plan.practitioners.length} practitioners, ${plan.clients.length} clients, ${courses} courses, ${sessions} sessions, ${photos} synthetic photos.`,
    );
    out('Sign in with these made-up PINs:');
    plan.practitioners.forEach((p, i) =>
      out(`  ${p.name}${p.role === 'manager' ? ' (manager)' : ''}: ${plan.pins[i]}`),
    );
    return 0;
  } finally {
    closeDatabase(db);
  }
}

/** `needlelog check`: read-only; a clinic made before encryption is checked as it is, an encrypted one needs its key. */
export async function runCheck(dataDir: string, secrets: SecretSource, out: Out, err: Out): Promise<number> {
  const state = clinicState(dataDir);
  const key = state === 'plaintext' || state === 'new' ? null : await cliUnlock(dataDir, secrets, err);
  if (typeof key === 'number') return key;
  const report = checkDataDir(dataDir, key);
  out(`NeedleLog check of ${dataDir}`);
  report.lines.forEach((l) => out(`  ${l}`));
  out(report.ok ? 'OK' : 'PROBLEMS FOUND');
  return report.ok ? 0 : 1;
}

export async function unlockOrSetUp(dataDir: string, secrets: SecretSource, out: Out, err: Out) {
  if (clinicState(dataDir) !== 'new') return cliUnlockWithSecret(dataDir, secrets, err);
  try {
    const passphrase = await readNewPassphrase(secrets);
    const made = setUpClinic(dataDir, passphrase);
    printRecoveryKey(made.recoveryKey, out);
    return { key: made.key, secret: passphrase, via: 'passphrase' as const };
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 1;
  }
}

export function printRecoveryKey(recoveryKey: string, out: Out): void {
  out('The clinic is encrypted. Its recovery key, shown this once (print it or write it down, and keep');
  out('it away from this computer; it opens the clinic if the passphrase is ever lost):');
  out('');
  out(`    ${recoveryKey}`);
  out('');
}

export async function runEncrypt(
  dataDir: string,
  secrets: SecretSource,
  out: Out,
  err: Out,
): Promise<number> {
  const state = clinicState(dataDir);
  if (state !== 'plaintext') {
    err(
      state === 'new'
        ? `No NeedleLog clinic in ${dataDir}.`
        : `The clinic in ${dataDir} is encrypted already.`,
    );
    return 1;
  }
  try {
    // Resuming an interrupted upgrade takes the passphrase it started with.
    const passphrase = readKeyFile(dataDir)
      ? await readSecret(secrets, 'Clinic passphrase: ')
      : await readNewPassphrase(secrets);
    let last = '';
    const report = await encryptClinic(dataDir, passphrase, {
      onProgress: (p) => {
        const line = `  ${p.label}: ${p.done}/${p.total}`;
        if (line !== last && (p.done === p.total || p.done % 50 === 0)) out(line);
        last = line;
      },
    });
    out(
      `Encrypted ${dataDir}: the database, ${report.photosSealed} photos; ${report.plaintextBackupsRemoved} plain backup(s) removed after the check.`,
    );
    if (report.photosMissing > 0)
      out(`${report.photosMissing} photo record(s) had no file to encrypt; "needlelog check" lists them.`);
    out(DISK_BLOCKS_NOTE);
    printRecoveryKey(report.recoveryKey, out);
    return 0;
  } catch (e) {
    if (e instanceof WrongSecretError || e instanceof NoSecretError) {
      err(e.message);
      return 1;
    }
    err(
      `Encryption stopped, the clinic still opens as it was; run the command again to resume: ${e instanceof Error ? e.message : String(e)}`,
    );
    return 1;
  }
}
