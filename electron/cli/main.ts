import path from 'node:path';
import { parseArgs } from 'node:util';
import { closeDatabase, openDatabase, type DataKey } from '../../db/connection.js';
import { resolveDataDir } from '../dataDir.js';
import { runBackup, runListBackups, runRestore } from './backupCommands.js';
import { runCheck, runDemo, runEncrypt, unlockOrSetUp } from './clinicCommands.js';
import { EXPORT_USAGE, runExportCommand, runImportCommand } from './exportCommands.js';
import { runPractitioners } from './practitionerCommands.js';
import { RECALL_USAGE, runRecallCommand } from './recallCommand.js';
import { signInCli, type SignInOptions } from './signIn.js';
import {
  SYNC_USAGE,
  runPair,
  runRelay,
  runRelayCode,
  runRelayDevices,
  runRelayRevoke,
  runSync,
} from './syncCommands.js';
import { cliUnlock, cliUnlockWithSecret, type SecretSource } from './unlock.js';
import { runWeb } from './webCommand.js';

// `needlelog`: the arguments parsed once, then each command to its module (clinicCommands.ts,
// backupCommands.ts, webCommand.ts, practitionerCommands.ts, exportCommands.ts, recallCommand.ts,
// syncCommands.ts).

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
    case 'check':
      return runCheck(dataDir, secrets, out, err);
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
