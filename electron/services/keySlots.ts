import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DATA_KEY_BYTES, type DataKey } from '../../db/connection.js';
import { fsyncDir, fsyncFile } from './durableFiles.js';

/*
 * The clinic's data key is 32 random bytes that exist in plain form only in memory. On disk it is
 * kept wrapped (AES-256-GCM) in "key slots" in one small versioned file beside the database:
 *   - passphrase: the key-encryption key comes from the clinic passphrase through scrypt, with
 *     its parameters recorded in the slot (N ≥ 2^17 in production);
 *   - recovery: from the recovery key shown once at set-up (160 random bits, so HKDF is enough);
 *   - keychain: wrapped by the operating system's keychain (Electron's safeStorage), so the
 *     desktop app opens without a prompt on the machine that made it.
 * Changing the passphrase rewraps the same data key: nothing else is re-encrypted.
 */

export const KEY_FILE_NAME = 'needlelog.keys';
const KEY_FILE_FORMAT = 1;

/** Production scrypt cost: 2^17 × r 8 = 128 MiB and a fraction of a second per attempt. */
export const SCRYPT_PRODUCTION = { N: 2 ** 17, r: 8, p: 1 } as const;
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

type Kdf =
  { name: 'scrypt'; N: number; r: number; p: number; salt: string } | { name: 'hkdf-sha256'; salt: string };

interface WrappedSlot {
  type: 'passphrase' | 'recovery';
  kdf: Kdf;
  iv: string;
  /** AES-256-GCM ciphertext of the data key followed by its 16-byte tag, base64. */
  wrapped: string;
  createdAt: string;
}
interface KeychainSlot {
  type: 'keychain';
  /** What safeStorage.encryptString returned for the data key (base64), opened only by this OS account. */
  blob: string;
  createdAt: string;
}
type KeySlot = WrappedSlot | KeychainSlot;

export interface KeyFile {
  app: 'NeedleLog';
  kind: 'key-slots';
  format: typeof KEY_FILE_FORMAT;
  /** Random, names this data key (the same in every copy of the file); not derived from the key. */
  keyId: string;
  slots: KeySlot[];
}

/** The OS keychain as Electron's safeStorage offers it; absent in the CLI and the browser host. */
export interface Keychain {
  available(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(blob: Buffer): string;
}

/** The passphrase or recovery key did not open any slot. Nothing was touched. */
export class WrongSecretError extends Error {
  constructor() {
    super('That passphrase or recovery key does not open this clinic.');
    this.name = 'WrongSecretError';
  }
}

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

export function keyFilePath(dir: string): string {
  return path.join(dir, KEY_FILE_NAME);
}

export function newDataKey(): DataKey {
  return crypto.randomBytes(DATA_KEY_BYTES);
}

const b64 = (b: Buffer) => b.toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64');

function aad(keyId: string, type: string): Buffer {
  return Buffer.from(`NeedleLog key slot ${KEY_FILE_FORMAT} ${keyId} ${type}`, 'utf8');
}

function scrypt(secret: string, salt: Buffer, params: ScryptParams): Buffer {
  return crypto.scryptSync(secret.normalize('NFC'), salt, 32, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  });
}

function kekFor(kdf: Kdf, secret: string): Buffer {
  if (kdf.name === 'scrypt') return scrypt(secret, unb64(kdf.salt), kdf);
  return Buffer.from(crypto.hkdfSync('sha256', secret, unb64(kdf.salt), 'NeedleLog recovery key', 32));
}

function wrap(keyId: string, type: WrappedSlot['type'], kdf: Kdf, kek: Buffer, key: DataKey): WrappedSlot {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(aad(keyId, type));
  const body = Buffer.concat([cipher.update(key), cipher.final(), cipher.getAuthTag()]);
  kek.fill(0);
  return { type, kdf, iv: b64(iv), wrapped: b64(body), createdAt: new Date().toISOString() };
}

function unwrap(keyId: string, slot: WrappedSlot, kek: Buffer): DataKey | null {
  const body = unb64(slot.wrapped);
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', kek, unb64(slot.iv));
    decipher.setAAD(aad(keyId, slot.type));
    decipher.setAuthTag(body.subarray(body.length - 16));
    const key = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
    return key.length === DATA_KEY_BYTES ? key : null;
  } catch {
    return null;
  } finally {
    kek.fill(0);
  }
}

export function passphraseSlot(
  keyId: string,
  key: DataKey,
  passphrase: string,
  params: ScryptParams = SCRYPT_PRODUCTION,
): WrappedSlot {
  const salt = crypto.randomBytes(16);
  const kdf: Kdf = { name: 'scrypt', N: params.N, r: params.r, p: params.p, salt: b64(salt) };
  return wrap(keyId, 'passphrase', kdf, kekFor(kdf, passphrase), key);
}

/** Crockford's base32: no I, L, O or U, so nothing is misread when typed back from paper. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new recovery key: 160 random bits as 8 groups of 4 characters, e.g. `7K2M-…`. */
export function newRecoveryKey(): string {
  const bytes = crypto.randomBytes(20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return (out.match(/.{4}/g) as string[]).join('-');
}

/** A recovery key as typed: case, spaces and dashes ignored, O read as 0 and I/L as 1. */
function normaliseRecoveryKey(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== 32 || [...s].some((c) => !ALPHABET.includes(c))) return null;
  return (s.match(/.{4}/g) as string[]).join('-');
}

export function recoverySlot(keyId: string, key: DataKey, recoveryKey: string): WrappedSlot {
  const normal = normaliseRecoveryKey(recoveryKey);
  if (!normal) throw new Error('not a recovery key');
  const kdf: Kdf = { name: 'hkdf-sha256', salt: b64(crypto.randomBytes(16)) };
  return wrap(keyId, 'recovery', kdf, kekFor(kdf, normal), key);
}

/** A keychain slot, or null where there is no real keychain (on Linux `basic_text` is none). */
export function keychainSlot(key: DataKey, keychain: Keychain | undefined): KeychainSlot | null {
  if (!keychain?.available()) return null;
  return {
    type: 'keychain',
    blob: b64(keychain.encrypt(key.toString('base64'))),
    createdAt: new Date().toISOString(),
  };
}

export function readKeyFile(dir: string): KeyFile | null {
  const file = keyFilePath(dir);
  if (!fs.existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new KeyFileError(`${file} is damaged (not readable JSON). Restore it from a backup folder.`);
  }
  const f = parsed as Partial<KeyFile>;
  if (
    f.app !== 'NeedleLog' ||
    f.kind !== 'key-slots' ||
    !Array.isArray(f.slots) ||
    typeof f.keyId !== 'string'
  )
    throw new KeyFileError(`${file} is not a NeedleLog key file.`);
  if (f.format !== KEY_FILE_FORMAT)
    throw new KeyFileError(
      `${file} was written by a newer version of NeedleLog (format ${String(f.format)}). Update NeedleLog.`,
    );
  return f as KeyFile;
}

/** Writes the key file whole or not at all (temp, fsync, rename, fsync folder). */
export function writeKeyFile(dir: string, keyFile: KeyFile): void {
  const file = keyFilePath(dir);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(keyFile, null, 2), { mode: 0o600, flag: 'wx' });
  fsyncFile(tmp);
  fs.renameSync(tmp, file);
  fsyncDir(dir);
}

interface NewKeys {
  key: DataKey;
  keyFile: KeyFile;
  /** Shown once to the person setting up; never stored. */
  recoveryKey: string;
}

/** A new data key with its passphrase, recovery and (where there is one) keychain slots. */
export function createKeys(
  passphrase: string,
  options: { keychain?: Keychain; scrypt?: ScryptParams; key?: DataKey } = {},
): NewKeys {
  const key = options.key ?? newDataKey();
  const keyId = crypto.randomBytes(8).toString('hex');
  const recoveryKey = newRecoveryKey();
  const slots: KeySlot[] = [
    passphraseSlot(keyId, key, passphrase, options.scrypt),
    recoverySlot(keyId, key, recoveryKey),
  ];
  const chain = keychainSlot(key, options.keychain);
  if (chain) slots.push(chain);
  return {
    key,
    recoveryKey,
    keyFile: { app: 'NeedleLog', kind: 'key-slots', format: KEY_FILE_FORMAT, keyId, slots },
  };
}

const wrappedSlots = (f: KeyFile) => f.slots.filter((s): s is WrappedSlot => s.type !== 'keychain');

/**
 * Opens the data key with a passphrase or a recovery key (tried as both: the person types one
 * thing into one field). Throws WrongSecretError when neither slot opens.
 */
export function unlockWithSecret(
  keyFile: KeyFile,
  secret: string,
): { key: DataKey; via: 'passphrase' | 'recovery' } {
  const recovery = normaliseRecoveryKey(secret);
  for (const slot of wrappedSlots(keyFile)) {
    if (slot.type === 'recovery' && !recovery) continue;
    const kek = kekFor(slot.kdf, slot.type === 'recovery' ? (recovery as string) : secret);
    const key = unwrap(keyFile.keyId, slot, kek);
    if (key) return { key, via: slot.type };
  }
  throw new WrongSecretError();
}

/** The passphrase slot alone opens with this passphrase (a check before changing it). */
export function passphraseOpens(keyFile: KeyFile, passphrase: string): DataKey | null {
  const slot = wrappedSlots(keyFile).find((s) => s.type === 'passphrase');
  return slot ? unwrap(keyFile.keyId, slot, kekFor(slot.kdf, passphrase)) : null;
}

/** The data key from the keychain slot, or null when there is none or the keychain cannot open it. */
export function unlockWithKeychain(keyFile: KeyFile, keychain: Keychain | undefined): DataKey | null {
  const slot = keyFile.slots.find((s): s is KeychainSlot => s.type === 'keychain');
  if (!slot || !keychain?.available()) return null;
  try {
    const key = Buffer.from(keychain.decrypt(unb64(slot.blob)), 'base64');
    return key.length === DATA_KEY_BYTES ? key : null;
  } catch {
    return null;
  }
}

/** The file with one slot type replaced (or added). */
export function withSlot(keyFile: KeyFile, slot: KeySlot): KeyFile {
  return { ...keyFile, slots: [...keyFile.slots.filter((s) => s.type !== slot.type), slot] };
}

/** What a backup folder carries: the passphrase and recovery slots, never the keychain slot. */
export function portableKeyFile(keyFile: KeyFile): KeyFile {
  return { ...keyFile, slots: wrappedSlots(keyFile) };
}
