import type { ClinicStatus, SecurityStatus } from '../../contract/security.js';
import { DamagedDatabaseError, KeyMismatchError } from '../../db/connection.js';
import { NewerSchemaError } from '../../db/migrate.js';
import type { DataKey } from '../../db/connection.js';
export type { DataKey } from '../../db/connection.js';
import { newestGoodBackup } from '../services/backups.js';
import type { PhotoUrl } from '../services/context.js';
import {
  clinicState,
  encryptClinic,
  setUpClinic,
  DISK_BLOCKS_NOTE,
  type KeyOptions,
} from '../services/encryption.js';
import { AppError } from '../services/errors.js';
import {
  keychainSlot,
  newRecoveryKey,
  passphraseOpens,
  passphraseSlot,
  readKeyFile,
  recoverySlot,
  unlockWithKeychain,
  unlockWithSecret,
  withSlot,
  writeKeyFile,
  KeyFileError,
  WrongSecretError,
  type KeyFile,
} from '../services/keySlots.js';
import type { Services } from '../services/index.js';
import { openClinic, type CheckFile, type OpenClinic } from './clinic.js';
import type { Logger } from './dispatch.js';
import type { HandlerDeps, Integrity } from './handlers.js';
import { createJobs } from './jobs.js';

/** What the unlock and security channels call; the hosts hold one per data folder. */
export interface ClinicGate {
  /** Whether the clinic is unlocked (until then only the public channels answer). */
  isOpen(): boolean;
  status(): ClinicStatus;
  setup(passphrase: string): { recoveryKey: string };
  unlock(secret: string): ClinicStatus;
  encrypt(passphrase: string): Promise<{ recoveryKey: string }>;
  security(): SecurityStatus;
  changePassphrase(current: string, next: string): SecurityStatus;
  newRecoveryKey(passphrase: string): { recoveryKey: string };
}

export interface GatedClinic {
  dataDir: string;
  /** `services` throws a `locked` error until the clinic is unlocked. */
  deps: HandlerDeps;
  gate: ClinicGate;
  /** Opens straight away when this machine's keychain holds a slot (Electron); true when it did. */
  tryKeychain(): boolean;
  /** Opens with a key the caller already has (the CLI unlocked it); throws what opening throws. */
  openWithKey(key: DataKey): void;
  isOpen(): boolean;
  close(options?: { backup: boolean }): Promise<void>;
}

export const LOCKED_MESSAGE = 'The clinic is locked: unlock it with its passphrase first.';

/**
 * One clinic as a host serves it, from "locked" (or "new", or "plain, to be encrypted") to open.
 * Until it is open only the unlock channels answer, and nothing of the clinic is readable.
 */
export function gateClinic(
  dataDir: string,
  options: KeyOptions & { photoUrl?: PhotoUrl; log: Logger; checkFile?: CheckFile },
): GatedClinic {
  let open: OpenClinic | null = null;
  const jobs = createJobs();
  let upgrading = false;

  let openedWith: DataKey | null = null;
  const openRaw = (key: DataKey): void => {
    openedWith = key;
    open = openClinic(dataDir, key, {
      ...(options.photoUrl ? { photoUrl: options.photoUrl } : {}),
      log: options.log,
      jobs,
      ...(options.checkFile ? { checkFile: options.checkFile } : {}),
    });
  };
  /** A damaged database as the sentence for the person, with the way out. */
  const damaged = (err: DamagedDatabaseError, key: DataKey): AppError => {
    const good = newestGoodBackup(dataDir, key);
    return new AppError(
      'internal',
      `${err.message} ${
        good
          ? `The newest good backup is from ${good.createdAt}; restore it with: needlelog restore --data-dir "${dataDir}" --from "${good.file}"`
          : 'No backup was found; keep the damaged file and do not start on an empty clinic.'
      }`,
    );
  };
  /** The open clinic's integrity check, a damaged database turned into that sentence (once). */
  let checked: { of: Integrity; mapped: Integrity } | null = null;

  /** Opens for a channel call: a damaged database becomes the sentence with the way out. */
  const openWith = (key: DataKey): void => {
    try {
      openRaw(key);
    } catch (err) {
      if (err instanceof DamagedDatabaseError) throw damaged(err, key);
      // A newer schema, a key that does not fit the database: the person needs the sentence itself.
      if (err instanceof NewerSchemaError || err instanceof KeyMismatchError || err instanceof KeyFileError)
        throw new AppError('conflict', err.message);
      throw err;
    }
  };

  const keyFile = (): KeyFile => {
    const f = readKeyFile(dataDir);
    if (!f) throw new AppError('conflict', 'This clinic has no key file yet.');
    return f;
  };

  const secretError = (err: unknown, field: string): never => {
    if (err instanceof WrongSecretError) throw new AppError('invalid_input', err.message, field);
    throw err;
  };

  const deps: HandlerDeps = {
    get services(): Services {
      if (!open) throw new AppError('locked', LOCKED_MESSAGE);
      return open.deps.services;
    },
    get integrity(): Integrity | undefined {
      const current = open;
      const integrity = current?.deps.integrity;
      if (!current || !integrity || !openedWith) return undefined;
      if (checked?.of !== integrity) {
        const key = openedWith;
        checked = {
          of: integrity,
          mapped: {
            state: integrity.state,
            done: integrity.done.catch((err: unknown) => {
              throw err instanceof DamagedDatabaseError ? damaged(err, key) : err;
            }),
          },
        };
        // Awaited by the channels that need it; a rejection nobody awaited is no crash.
        checked.mapped.done.catch(() => {});
      }
      return checked.mapped;
    },
    set services(_s: Services) {
      throw new Error('The services of a gated clinic are replaced by its runtime only.');
    },
    jobs,
    backups: {
      create: () => requireOpen().deps.backups!.create(),
      restore: (source) => requireOpen().deps.backups!.restore(source),
    },
  };
  const requireOpen = (): OpenClinic => {
    if (!open) throw new AppError('locked', LOCKED_MESSAGE);
    return open;
  };

  const gate: ClinicGate = {
    isOpen: () => open !== null,
    status: () => ({ state: open ? 'open' : clinicState(dataDir) }),

    setup(passphrase) {
      if (open || clinicState(dataDir) !== 'new')
        throw new AppError('conflict', 'This data folder already holds a clinic.');
      const { key, recoveryKey } = setUpClinic(dataDir, passphrase, options);
      openWith(key);
      return { recoveryKey };
    },

    unlock(secret) {
      if (open) return { state: 'open' };
      const state = clinicState(dataDir);
      if (state !== 'locked')
        throw new AppError(
          'conflict',
          state === 'new' ? 'There is no clinic to unlock yet.' : 'This clinic must be encrypted first.',
        );
      const f = readKeyFile(dataDir);
      if (!f)
        throw new AppError(
          'internal',
          'The clinic is encrypted but its key file (needlelog.keys) is missing. Restore the data folder from a backup folder.',
        );
      let key: DataKey;
      try {
        key = unlockWithSecret(f, secret).key;
      } catch (err) {
        return secretError(err, 'secret');
      }
      // A keychain slot from now on, where this machine has a keychain (Electron).
      if (!unlockWithKeychain(f, options.keychain)) {
        const slot = keychainSlot(key, options.keychain);
        if (slot) writeKeyFile(dataDir, withSlot(f, slot));
      }
      openWith(key);
      return { state: 'open' };
    },

    async encrypt(passphrase) {
      if (open || clinicState(dataDir) !== 'plaintext')
        throw new AppError('conflict', 'This clinic is not waiting to be encrypted.');
      if (upgrading) throw new AppError('conflict', 'The clinic is being encrypted already.');
      upgrading = true;
      try {
        const label = 'Encrypting the clinic';
        const jobId = 'encrypt';
        const report = await encryptClinic(dataDir, passphrase, {
          ...options,
          onProgress: (p) =>
            jobs.emit({ jobId, label: p.label || label, done: p.done, total: p.total, finished: false }),
        }).catch((err: unknown) => secretError(err, 'passphrase'));
        jobs.emit({ jobId, label: `Encrypted. ${DISK_BLOCKS_NOTE}`, done: 1, total: 1, finished: true });
        openWith(report.key);
        return { recoveryKey: report.recoveryKey };
      } finally {
        upgrading = false;
      }
    },

    security() {
      requireOpen();
      const f = keyFile();
      const at = (type: string) => f.slots.find((s) => s.type === type)?.createdAt ?? null;
      return {
        encrypted: true,
        keychain: unlockWithKeychain(f, options.keychain) !== null,
        passphraseSetAt: at('passphrase'),
        recoveryKeySetAt: at('recovery'),
      };
    },

    changePassphrase(current, next) {
      requireOpen();
      const f = keyFile();
      const key = passphraseOpens(f, current);
      if (!key) throw new AppError('invalid_input', 'That is not the current clinic passphrase.', 'current');
      writeKeyFile(dataDir, withSlot(f, passphraseSlot(f.keyId, key, next, options.scrypt)));
      return gate.security();
    },

    newRecoveryKey(passphrase) {
      requireOpen();
      const f = keyFile();
      const key = passphraseOpens(f, passphrase);
      if (!key) throw new AppError('invalid_input', 'That is not the clinic passphrase.', 'passphrase');
      const recoveryKey = newRecoveryKey();
      writeKeyFile(dataDir, withSlot(f, recoverySlot(f.keyId, key, recoveryKey)));
      return { recoveryKey };
    },
  };
  deps.gate = gate;

  return {
    dataDir,
    deps,
    gate,
    tryKeychain() {
      if (open) return true;
      if (clinicState(dataDir) !== 'locked') return false;
      const f = readKeyFile(dataDir);
      const key = f ? unlockWithKeychain(f, options.keychain) : null;
      if (!key) return false;
      openRaw(key);
      return true;
    },
    openWithKey(key) {
      if (!open) openRaw(key);
    },
    isOpen: gate.isOpen,
    async close(closeOptions) {
      const o = open;
      open = null;
      await o?.close(closeOptions);
    },
  };
}
