import { z } from 'zod';

/*
 * Encryption at rest: unlocking the clinic, setting it up, encrypting one made before encryption,
 * and the Security settings (managers).
 */

// The constant lives in domain.ts, so the renderer uses it without bundling zod.
import { MIN_PASSPHRASE_LENGTH } from './domain.js';
export { MIN_PASSPHRASE_LENGTH } from './domain.js';
const MAX_SECRET_LENGTH = 1024;

/**
 * new: no clinic in this data folder yet (first run asks for a passphrase);
 * locked: an encrypted clinic waiting for its passphrase or recovery key;
 * plaintext: a clinic made before encryption, to be encrypted before use;
 * open: unlocked.
 */
const CLINIC_STATES = ['new', 'locked', 'plaintext', 'open'] as const;
export const ClinicStatus = z.object({ state: z.enum(CLINIC_STATES) });
export type ClinicStatus = z.output<typeof ClinicStatus>;

const passphrase = z
  .string()
  .max(MAX_SECRET_LENGTH, 'The clinic passphrase is too long.')
  .refine((p) => [...p].length >= MIN_PASSPHRASE_LENGTH, {
    message: `The clinic passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`,
  })
  .refine((p) => p.trim() === p, { message: 'The clinic passphrase cannot start or end with a space.' });

/** A new passphrase typed twice. */
export const NewPassphrase = z
  .strictObject({ passphrase, confirm: z.string().max(MAX_SECRET_LENGTH) })
  .refine((v) => v.passphrase === v.confirm, {
    message: 'The two passphrases are not the same.',
    path: ['confirm'],
  });

export const UnlockInput = z.strictObject({
  secret: z
    .string()
    .min(1, 'Type the clinic passphrase or the recovery key.')
    .max(MAX_SECRET_LENGTH, 'That is too long to be a passphrase.'),
});

/** Shown once, to be printed or written down and kept apart from the computer. */
const RecoveryKeyShown = z.object({ recoveryKey: z.string() });

export const SecurityStatus = z.object({
  encrypted: z.boolean(),
  /** This machine's keychain holds a slot, so the desktop app opens without the passphrase. */
  keychain: z.boolean(),
  passphraseSetAt: z.string().nullable(),
  recoveryKeySetAt: z.string().nullable(),
});
export type SecurityStatus = z.output<typeof SecurityStatus>;

export const PassphraseChange = z
  .strictObject({
    current: z.string().max(MAX_SECRET_LENGTH),
    passphrase,
    confirm: z.string().max(MAX_SECRET_LENGTH),
  })
  .refine((v) => v.passphrase === v.confirm, {
    message: 'The two new passphrases are not the same.',
    path: ['confirm'],
  });

export const RecoveryKeyRenew = z.strictObject({
  passphrase: z.string().min(1, 'Type the clinic passphrase.').max(MAX_SECRET_LENGTH),
});

export const securityChannels = {
  /** Whether the clinic is open, locked, new or still to be encrypted. Answered before unlocking. */
  'clinic.status': { input: z.strictObject({}), output: ClinicStatus },
  /** First run: a new encrypted clinic under this passphrase; the recovery key comes back once. */
  'clinic.setup': { input: NewPassphrase, output: RecoveryKeyShown },
  /** Opens the clinic with its passphrase or recovery key. */
  'clinic.unlock': { input: UnlockInput, output: ClinicStatus },
  /** Encrypts a clinic made before encryption (backup first, then database and photos). */
  'clinic.encrypt': { input: NewPassphrase, output: RecoveryKeyShown },
  'security.get': { input: z.strictObject({}), output: SecurityStatus },
  /** Rewraps the data key under a new passphrase; nothing else is re-encrypted. */
  'security.changePassphrase': { input: PassphraseChange, output: SecurityStatus },
  /** Replaces the recovery key (the old one stops working); the new one comes back once. */
  'security.newRecoveryKey': { input: RecoveryKeyRenew, output: RecoveryKeyShown },
} as const;
