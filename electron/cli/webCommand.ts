import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DamagedDatabaseError, type DataKey } from '../../db/connection.js';
import { backupsDir, newestGoodBackup } from '../services/backups.js';
import { clinicState, setUpClinic } from '../services/encryption.js';
import { describeCounts } from './backupCommands.js';
import { printRecoveryKey } from './clinicCommands.js';
import { ensureInterfaceBuilt, interfaceBuildCommand } from './interfaceBuild.js';
import { cliUnlock, readNewPassphrase, type SecretSource } from './unlock.js';
import { startStep } from '../services/startTrace.js';

type Out = (line: string) => void;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `needlelog web`: the browser host on 127.0.0.1, until Ctrl+C. */
export async function runWeb(
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
  startStep('host modules loaded');
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
  startStep('key unwrapped');
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
  startStep('running (URL printed)');
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
