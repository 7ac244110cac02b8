import { databaseKey, deriveKey, type Db } from '../../../db/connection.js';

/** Sync cannot run without the clinic key that seals what travels. */
export class NoClinicKeyError extends Error {
  constructor() {
    super(
      'Sync seals every change with the clinic key of an encrypted clinic, and this clinic is not encrypted yet. ' +
        'Encrypt it first (needlelog encrypt), then pair it.',
    );
    this.name = 'NoClinicKeyError';
  }
}

/**
 * The key that seals sync envelopes (AES-256-GCM): a sub-key of the clinic's data key (issue 14),
 * so every room opened with the clinic's key shares it, and the relay never holds it.
 */
export function syncKey(db: Db): Buffer {
  const dataKey = databaseKey(db);
  if (!dataKey) throw new NoClinicKeyError();
  return deriveKey(dataKey, 'sync envelopes');
}
