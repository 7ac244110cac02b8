import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { DamagedDatabaseError, closeDatabase, openDatabase, type DataKey } from '../../db/connection.js';
import {
  backupToFolder,
  backupsDir,
  createBackup,
  listBackups,
  newestGoodBackup,
  restoreBackup,
  type RecordCounts,
} from '../services/backups.js';
import { resolveDataDir } from '../dataDir.js';
import { demoClinic, hashDemoPins, loadDemoStep } from '../services/demo.js';
import { loadDemoPhotos } from '../services/demoPhotos.js';
import { createServices } from '../services/index.js';
import { checkDataDir } from './check.js';
import { secretFrom, signInCli, type SignInOptions } from './signIn.js';
import { NewPin } from '../../contract/auth.js';
import { EXPORT_USAGE, runExportCommand, runImportCommand } from './exportCommands.js';
import { ensureInterfaceBuilt, interfaceBuildCommand } from './interfaceBuild.js';
import { RECALL_USAGE, runRecallCommand } from './recallCommand.js';
import {
  cliUnlock,
  cliUnlockWithSecret,
  NoSecretError,
  readNewPassphrase,
  readSecret,
  type SecretSource,
} from './unlock.js';
import { clinicState, encryptClinic, setUpClinic, DISK_BLOCKS_NOTE } from '../services/encryption.js';
import { readKeyFile, unlockWithSecret, WrongSecretError } from '../services/keySlots.js';
import {
  SYNC_USAGE,
  runPair,
  runRelay,
  runRelayCode,
  runRelayDevices,
  runRelayRevoke,
  runSync,
} from './syncCommands.js';

const USAGE = `Usage: needlelog <command> [options]

Commands:
  demo   --data-dir DIR                 a new encrypted demo clinic in an empty data directory
                                        (prints the recovery key and the demo practitioners' PINs)
  practitioners --data-dir DIR          list the practitioners, their roles and who has a PIN
  practitioners reset-pin NAME --as MANAGER --data-dir DIR
                                        a manager gives NAME a new PIN (NEEDLELOG_NEW_PIN or prompt)
  check  --data-dir DIR                 integrity, foreign-key and schema-version check (read-only)
  encrypt --data-dir DIR                encrypt a clinic made before encryption (backup first; resumable)
  web    [--data-dir DIR] [--port N] [--no-open]
                                        serve NeedleLog to a browser on 127.0.0.1
  backup --data-dir DIR [--to PATH]     checked backup into DIR/backups, or a complete copy
                                        (database + photos + manifest) into a new folder under PATH
  backups --data-dir DIR                list the backups in DIR/backups
  restore --data-dir DIR --from PATH    replace the database with a backup file or backup folder
                                        (the current state is backed up first; close NeedleLog before)
${EXPORT_USAGE}
${RECALL_USAGE}
${SYNC_USAGE}

backup, restore, export, import and recall read or write clinical data: they take --as NAME and the PIN
from NEEDLELOG_PIN, or ask for it on the terminal. backup, restore, import, reset-pin and
clinic-wide exports need a manager.
The data directory defaults to NEEDLELOG_DATA_DIR, then the per-user app-data folder.
The clinic passphrase (or the recovery key) comes from --passphrase-file FILE, then
NEEDLELOG_PASSPHRASE, then a prompt on the terminal. \`web\` asks for it in the page instead.
Exit codes: 0 success, 1 problem found or command failed, 2 usage error.`;

type Out = (line: string) => void;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function main(
  argv: string[],
  out: Out = console.log,
  err: Out = console.error,
): Promise<number> {
  const [command, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        to: { type: 'string' },
        from: { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        format: { type: 'string' },
        course: { type: 'string' },
        client: { type: 'string' },
        all: { type: 'boolean' },
        practitioner: { type: 'string' },
        area: { type: 'string' },
        'include-deleted': { type: 'boolean' },
        out: { type: 'string' },
        as: { type: 'string' },
        lot: { type: 'string' },
        csv: { type: 'string' },
        'passphrase-file': { type: 'string' },
        'bundle-passphrase-file': { type: 'string' },
        host: { type: 'string' },
        relay: { type: 'string' },
        code: { type: 'string' },
        name: { type: 'string' },
        fingerprint: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      // Only `import BUNDLE` takes a positional argument; the others refuse one below.
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    err(USAGE);
    return 2;
  }
  const opts = parsed.values;
  if (!command || command === 'help' || command === '--help' || opts.help) {
    out(USAGE);
    return command ? 0 : 2;
  }
  const dataDir = resolveDataDir(opts['data-dir']);
  if (
    command !== 'import' &&
    command !== 'export' &&
    command !== 'practitioners' &&
    command !== 'relay-revoke' &&
    parsed.positionals.length > 0
  ) {
    return unexpected(parsed.positionals, err);
  }

  const secrets: SecretSource = { passphraseFile: opts['passphrase-file'] };
  /** The clinic's key, or the exit code after the one sentence that says why not. */
  const unlock = () => cliUnlock(dataDir, secrets, err);
  const unlockWithSecret = () => cliUnlockWithSecret(dataDir, secrets, err);
  /**
   * Unlocked first (nobody can be looked up in a locked database), then signed in with --as and
   * the PIN: who acts, null where nobody can sign in yet, or the exit code.
   */
  const signIn =
    (needs: 'practitioner' | 'manager', options: SignInOptions = {}) =>
    async (key: DataKey): Promise<string | null | number> => {
      const who = await signInCli(dataDir, key, opts.as, needs, err, options);
      return typeof who === 'number' ? who : (who?.id ?? null);
    };

  switch (command) {
    case 'demo':
      return runDemo(dataDir, secrets, out, err);
    case 'encrypt':
      return runEncrypt(dataDir, secrets, out, err);
    case 'check': {
      // A clinic made before encryption is checked as it is; an encrypted one needs its key.
      const state = clinicState(dataDir);
      const key = state === 'plaintext' || state === 'new' ? null : await unlock();
      if (typeof key === 'number') return key;
      const report = checkDataDir(dataDir, key);
      out(`NeedleLog check of ${dataDir}`);
      report.lines.forEach((l) => out(`  ${l}`));
      out(report.ok ? 'OK' : 'PROBLEMS FOUND');
      return report.ok ? 0 : 1;
    }
    case 'web': {
      const port = opts.port === undefined ? 0 : Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        err(`--port must be a whole number from 0 to 65535, not "${opts.port}".`);
        return 2;
      }
      return runWeb(dataDir, port, !opts['no-open'], secrets, out, err);
    }
    case 'backup': {
      const key = await unlock();
      if (typeof key === 'number') return key;
      const who = await signIn('manager')(key);
      return typeof who === 'number' ? who : runBackup(dataDir, key, opts.to, out, err);
    }
    case 'backups': {
      const key = await unlock();
      return typeof key === 'number' ? key : runListBackups(dataDir, key, out);
    }
    case 'practitioners':
      return runPractitioners(dataDir, parsed.positionals, opts.as, unlock, out, err);
    case 'export':
      if (parsed.positionals.length > 0) return unexpected(parsed.positionals, err);
      return runExportCommand(
        dataDir,
        opts,
        { unlock: unlockWithSecret, signIn: signIn('practitioner') },
        out,
        err,
      );
    case 'import':
      // Into a new data folder: a new encrypted clinic under the passphrase given, nobody to sign in yet.
      return runImportCommand(
        dataDir,
        parsed.positionals,
        opts,
        {
          unlock: () => unlockOrSetUp(dataDir, secrets, out, err),
          signIn: signIn('manager', { emptyClinicOpen: true }),
        },
        out,
        err,
      );
    case 'recall':
      return runRecallCommand(
        dataDir,
        opts,
        { unlock: unlockWithSecret, signIn: signIn('practitioner') },
        out,
        err,
      );
    case 'restore':
      if (!opts.from) {
        err('restore needs --from PATH: a backup file from the backups folder, or a backup folder.');
        return 2;
      }
      return runRestore(
        dataDir,
        path.resolve(opts.from),
        secrets,
        signIn('manager', { unopenableOpen: true }),
        out,
        err,
      );
    case 'relay':
      if (!opts['data-dir']) {
        err('relay needs --data-dir DIR: a folder of its own, where it keeps its envelopes and certificate.');
        return 2;
      }
      return runRelay(dataDir, opts, out, err);
    case 'relay-code':
      return runRelayCode(dataDir, out);
    case 'relay-devices':
      return runRelayDevices(dataDir, out);
    case 'relay-revoke':
      return runRelayRevoke(dataDir, parsed.positionals, out, err);
    case 'pair':
    case 'sync': {
      const key = await unlock();
      if (typeof key === 'number') return key;
      const who = await signIn(command === 'pair' ? 'manager' : 'practitioner')(key);
      if (typeof who === 'number') return who;
      const db = openDatabase(dataDir, key);
      try {
        return command === 'pair' ? await runPair(db, opts, out, err) : await runSync(db, out, err);
      } finally {
        closeDatabase(db);
      }
    }
    default:
      err(`Unknown command "${command}".`);
      err(USAGE);
      return 2;
  }
}

function unexpected(positionals: string[], err: Out): number {
  err(`Unexpected argument "${positionals[0]}".`);
  err(USAGE);
  return 2;
}

async function runDemo(dataDir: string, secrets: SecretSource, out: Out, err: Out): Promise<number> {
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

async function runWeb(
  dataDir: string,
  port: number,
  open: boolean,
  secrets: SecretSource,
  out: Out,
  err: Out,
): Promise<number> {
  // The page asks for the passphrase ("Unlock clinic"), unless one is given as for every command
  // (NEEDLELOG_PASSPHRASE or --passphrase-file): then the clinic opens (or is set up) now, and a
  // wrong passphrase or a damaged database ends here in one sentence.
  const rendererDir = path.join(repoRoot, 'out', 'renderer');
  const { startBrowserHost, openInBrowser } = await import('../host/browserHost.js');
  const given = secrets.passphraseFile !== undefined || Boolean(process.env.NEEDLELOG_PASSPHRASE);
  let key: DataKey | undefined;
  const state = clinicState(dataDir);
  if (given && state === 'new') {
    try {
      const made = setUpClinic(dataDir, await readNewPassphrase(secrets));
      printRecoveryKey(made.recoveryKey, out);
      key = made.key;
    } catch (e) {
      err(e instanceof Error ? e.message : String(e));
      return 1;
    }
  } else if (given && state === 'locked') {
    const unlocked = await cliUnlock(dataDir, secrets, err);
    if (typeof unlocked === 'number') return unlocked;
    key = unlocked;
  }
  let host;
  try {
    host = await startBrowserHost({
      dataDir,
      ...(key ? { key } : {}),
      port,
      rendererDir,
      log: (message, e) =>
        err(`${message}${e ? `: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` : ''}`),
    });
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    if (e instanceof DamagedDatabaseError && key) {
      const good = newestGoodBackup(dataDir, key);
      err(
        good
          ? `The newest good backup is from ${good.createdAt} (${describeCounts(good.counts)}). To restore it ` +
              `(the damaged file is kept in the backups folder):\n  needlelog restore --data-dir "${dataDir}" --from "${good.file}"`
          : `No backup was found in ${backupsDir(dataDir)}. Keep the damaged file; do not start NeedleLog on an empty clinic.`,
      );
    }
    return 1;
  }
  // After the database opened (a damaged one is reported without waiting for a build), before the
  // address is given out (it would only show "not built yet").
  if (!(await ensureInterfaceBuilt(rendererDir, interfaceBuildCommand(repoRoot), out, err))) {
    await host.close();
    return 1;
  }
  out(`NeedleLog is running at ${host.url}`);
  if (open) openInBrowser(host.url);
  const running = host;
  return new Promise<number>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(
        () => resolve(0),
        (e: unknown) => {
          err(e instanceof Error ? e.message : String(e));
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

const describeCounts = (c: RecordCounts) =>
  `${c.clients} clients, ${c.courses} courses, ${c.sessions} sessions, ${c.photos} photos`;

async function unlockOrSetUp(dataDir: string, secrets: SecretSource, out: Out, err: Out) {
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

function printRecoveryKey(recoveryKey: string, out: Out): void {
  out('The clinic is encrypted. Its recovery key, shown this once (print it or write it down, and keep');
  out('it away from this computer; it opens the clinic if the passphrase is ever lost):');
  out('');
  out(`    ${recoveryKey}`);
  out('');
}

async function runEncrypt(dataDir: string, secrets: SecretSource, out: Out, err: Out): Promise<number> {
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

async function runBackup(
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

function runListBackups(dataDir: string, key: DataKey, out: Out): number {
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

async function runRestore(
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

/** `needlelog practitioners`: the list; `practitioners reset-pin NAME --as MANAGER`: a new PIN. */
async function runPractitioners(
  dataDir: string,
  args: string[],
  as: string | undefined,
  unlock: () => Promise<DataKey | number>,
  out: Out,
  err: Out,
): Promise<number> {
  const [action, name, ...extra] = args;
  if (action !== undefined && (action !== 'reset-pin' || !name || extra.length > 0)) {
    err(
      'Use "needlelog practitioners" to list them, or "needlelog practitioners reset-pin NAME --as MANAGER".',
    );
    return 2;
  }
  const key = await unlock();
  if (typeof key === 'number') return key;
  if (action === undefined) {
    const db = openDatabase(dataDir, key);
    try {
      const people = createServices(db).auth.people();
      if (people.length === 0) out('No practitioners yet.');
      for (const p of people) {
        const notes = [p.role, p.hasPin ? 'PIN set' : 'no PIN yet (sets one at first sign-in)'];
        if (p.waitUntil) notes.push(`wrong PINs: waiting until ${p.waitUntil}`);
        out(`${p.name}  (${notes.join(', ')})`);
      }
      return 0;
    } finally {
      closeDatabase(db);
    }
  }
  const manager = await signInCli(dataDir, key, as, 'manager', err);
  if (typeof manager === 'number') return manager;
  if (manager === null) return 1;
  const pin = await secretFrom('NEEDLELOG_NEW_PIN', `New PIN for ${name}: `, process.env);
  if (pin === null) {
    err(`Set NEEDLELOG_NEW_PIN, or run this in a terminal to type ${name}'s new PIN.`);
    return 2;
  }
  const checked = NewPin.safeParse(pin);
  if (!checked.success) {
    err(checked.error.issues[0]?.message ?? 'That PIN is not allowed.');
    return 2;
  }
  const db = openDatabase(dataDir, key);
  try {
    const services = createServices(db);
    services.actAs(manager.id);
    const person = services.auth
      .people()
      .find((p) => p.name.toLowerCase() === (name ?? '').trim().toLowerCase());
    if (!person) {
      err(`There is no practitioner called "${name}".`);
      return 1;
    }
    await services.auth.resetPin({ id: person.id, pin });
    out(`${person.name} has a new PIN. Ask them to change it in Settings → Practitioners after signing in.`);
    return 0;
  } finally {
    closeDatabase(db);
  }
}
