import crypto from 'node:crypto';
import { Transform } from 'node:stream';
import { SCRYPT_PRODUCTION, type ScryptParams } from '../keySlots.js';

/*
 * An archive bundle on disk is an envelope: a short header (format, scrypt parameters and salt,
 * the AES-GCM nonce, a key check) and then the zip — manifest, records and photos all inside —
 * encrypted with AES-256-GCM under a key derived from the passphrase chosen at export. The key
 * check lets an import refuse a wrong passphrase at once, before anything is decrypted or written.
 */

const MAGIC = Buffer.from('NLBUNDLE', 'latin1');
const FORMAT = 1;
const TAG_BYTES = 16;

interface Header {
  format: typeof FORMAT;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  iv: string;
  /** HMAC-SHA256 of the header's other fields under a check key from the same passphrase. */
  check: string;
}

/** scrypt off the main thread (libuv's pool): a host keeps answering while a bundle's key is made. */
async function keys(passphrase: string, kdf: Header['kdf']): Promise<{ enc: Buffer; check: Buffer }> {
  const master = await new Promise<Buffer>((resolve, reject) =>
    crypto.scrypt(
      passphrase.normalize('NFC'),
      Buffer.from(kdf.salt, 'base64'),
      32,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
  const sub = (info: string) => Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  return { enc: sub('NeedleLog bundle encryption'), check: sub('NeedleLog bundle key check') };
}

const checkOf = (key: Buffer, h: Omit<Header, 'check'>) =>
  crypto
    .createHmac('sha256', key)
    .update(JSON.stringify([h.format, h.kdf, h.iv]))
    .digest('base64');

/** A wrong passphrase for a bundle: nothing was decrypted or written. */
export class WrongBundlePassphraseError extends Error {
  constructor() {
    super('That passphrase does not open this bundle.');
    this.name = 'WrongBundlePassphraseError';
  }
}

export class NotABundleError extends Error {}

/**
 * A stream that turns the zip into the envelope: header first, then ciphertext, then the GCM tag.
 * Only ciphertext is ever written to the export file (and its temp file).
 */
export async function sealBundleStream(
  passphrase: string,
  params: ScryptParams = SCRYPT_PRODUCTION,
): Promise<Transform> {
  const kdf = { name: 'scrypt' as const, ...params, salt: crypto.randomBytes(16).toString('base64') };
  const iv = crypto.randomBytes(12);
  const k = await keys(passphrase, kdf);
  const base = { format: FORMAT, kdf, iv: iv.toString('base64') } as const;
  const header: Header = { ...base, check: checkOf(k.check, base) };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const cipher = crypto.createCipheriv('aes-256-gcm', k.enc, iv);
  cipher.setAAD(headerBytes);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerBytes.length);
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!started) {
        this.push(Buffer.concat([MAGIC, length, headerBytes]));
        started = true;
      }
      done(null, cipher.update(chunk));
    },
    flush(done) {
      if (!started) this.push(Buffer.concat([MAGIC, length, headerBytes]));
      this.push(cipher.final());
      done(null, cipher.getAuthTag());
    },
  });
}

function isBundleEnvelope(bytes: Buffer): boolean {
  return bytes.length >= MAGIC.length && bytes.subarray(0, MAGIC.length).equals(MAGIC);
}

/**
 * The zip inside an envelope, decrypted in memory. Throws WrongBundlePassphraseError for a wrong
 * passphrase (checked before decrypting) and NotABundleError for anything that is not a whole,
 * untampered envelope.
 */
export async function openBundle(bytes: Buffer, passphrase: string): Promise<Buffer> {
  if (!isBundleEnvelope(bytes) || bytes.length < MAGIC.length + 4)
    throw new NotABundleError('The file is not a NeedleLog archive bundle.');
  const headerLength = bytes.readUInt32BE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (headerLength > 4096 || bytes.length < start + headerLength + TAG_BYTES)
    throw new NotABundleError('The bundle is incomplete or damaged.');
  const headerBytes = bytes.subarray(start, start + headerLength);
  let header: Header;
  try {
    header = JSON.parse(headerBytes.toString('utf8')) as Header;
  } catch {
    throw new NotABundleError('The bundle is damaged (its header cannot be read).');
  }
  const { kdf } = header;
  if (
    header.format !== FORMAT ||
    kdf?.name !== 'scrypt' ||
    ![kdf.N, kdf.r, kdf.p].every(Number.isSafeInteger) ||
    kdf.N > 2 ** 20 ||
    kdf.r > 16 ||
    kdf.p > 4
  )
    throw new NotABundleError('The bundle was made by another version of NeedleLog, or is damaged.');
  const k = await keys(passphrase, kdf);
  const expected = Buffer.from(checkOf(k.check, { format: header.format, kdf, iv: header.iv }), 'base64');
  const given = Buffer.from(String(header.check), 'base64');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
    throw new WrongBundlePassphraseError();
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', k.enc, Buffer.from(header.iv, 'base64'));
    decipher.setAAD(headerBytes);
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(start + headerLength, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new NotABundleError('The bundle is damaged or was changed after it was made.');
  }
}
