import crypto from 'node:crypto';
import type { PinRow } from '../../db/pins.js';

/**
 * PIN hashing: scrypt (memory-hard) with a random 16-byte salt per hash and the parameters stored
 * beside it, so a later version can raise them and still check older hashes. N = 2^15, r = 8 costs
 * 32 MiB and a few tens of milliseconds per check: cheap once per sign-in, expensive per guess.
 */
export interface ScryptParams {
  scheme: 'scrypt';
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

const PIN_PARAMS: ScryptParams = { scheme: 'scrypt', N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

function options(params: ScryptParams): crypto.ScryptOptions {
  return { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
}

function scrypt(pin: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(pin.normalize('NFC'), salt, params.keyLength, options(params), (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

function isScryptParams(x: unknown): x is ScryptParams {
  const p = x as Partial<ScryptParams> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    p.scheme === 'scrypt' &&
    [p.N, p.r, p.p, p.keyLength].every((n) => Number.isSafeInteger(n) && (n as number) > 0)
  );
}

export async function hashPin(pin: string, params: ScryptParams = PIN_PARAMS): Promise<PinRow> {
  const salt = crypto.randomBytes(16);
  return { params, salt, hash: await scrypt(pin, salt, params) };
}

/** Compares in constant time, with the parameters the hash was made with. */
export async function pinMatches(pin: string, stored: PinRow): Promise<boolean> {
  if (!isScryptParams(stored.params)) return false;
  const key = await scrypt(pin, stored.salt, stored.params);
  return key.length === stored.hash.length && crypto.timingSafeEqual(key, stored.hash);
}

/** For scripts that load the demo clinic outside a host (tests, the bench): blocks while hashing. */
export function hashPinSync(pin: string, params: ScryptParams = PIN_PARAMS): PinRow {
  const salt = crypto.randomBytes(16);
  return {
    params,
    salt,
    hash: crypto.scryptSync(pin.normalize('NFC'), salt, params.keyLength, options(params)),
  };
}
