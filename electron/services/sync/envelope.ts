import crypto from 'node:crypto';
import type { SyncMessage } from '../../../db/sync/messages.js';

/**
 * What the relay stores and passes on: a run of consecutive field changes of one room, sealed with
 * AES-256-GCM under the clinic key. Only their timestamps are in the clear (the relay needs them for
 * "since T" and its Merkle trie); they are the associated data of the seal, so they cannot be
 * changed either. One envelope per run rather than per field keeps a first sync of a large clinic
 * to a few hundred seals instead of millions.
 */
export interface Envelope {
  timestamps: string[];
  /** base64 of iv (12 bytes) ‖ ciphertext ‖ tag (16 bytes). */
  sealed: string;
}

export const MESSAGES_PER_ENVELOPE = 500;

class TamperedEnvelopeError extends Error {
  constructor() {
    super(
      'Changes received from the relay failed their integrity check: they were altered, or sealed under another ' +
        "clinic's key. None of the changes in that batch were merged.",
    );
    this.name = 'TamperedEnvelopeError';
  }
}

const aad = (timestamps: readonly string[]) => Buffer.from(timestamps.join(','), 'utf8');

/** AES-256-GCM: iv (12 bytes) ‖ ciphertext ‖ tag (16 bytes), with `aad` bound as associated data. */
export function sealBytes(key: Buffer, aad: Buffer, body: Buffer): Buffer {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(body), cipher.final()]);
  return Buffer.concat([iv, data, cipher.getAuthTag()]);
}

/** Opens what sealBytes sealed under the same key and `aad`; throws on any alteration. */
export function openBytes(key: Buffer, aad: Buffer, raw: Buffer): Buffer {
  if (raw.length < 28) throw new Error('short');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(aad);
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
}

/** Seals messages (oldest first) into envelopes of at most MESSAGES_PER_ENVELOPE. */
export function seal(
  key: Buffer,
  messages: readonly SyncMessage[],
  perEnvelope = MESSAGES_PER_ENVELOPE,
): Envelope[] {
  const out: Envelope[] = [];
  for (let i = 0; i < messages.length; i += perEnvelope) {
    const run = messages.slice(i, i + perEnvelope);
    const timestamps = run.map((m) => m.timestamp);
    const body = Buffer.from(JSON.stringify(run.map((m) => [m.dataset, m.rowId, m.col, m.value])), 'utf8');
    out.push({ timestamps, sealed: sealBytes(key, aad(timestamps), body).toString('base64') });
  }
  return out;
}

export function open(key: Buffer, e: Envelope): SyncMessage[] {
  try {
    const body = openBytes(key, aad(e.timestamps), Buffer.from(e.sealed, 'base64'));
    const rows = JSON.parse(body.toString('utf8')) as unknown;
    if (!Array.isArray(rows) || rows.length !== e.timestamps.length) throw new Error('shape');
    return rows.map((r: unknown, i) => {
      if (!Array.isArray(r) || r.length !== 4 || !r.every((x) => typeof x === 'string'))
        throw new Error('shape');
      const [dataset, rowId, col, value] = r as string[];
      return { timestamp: e.timestamps[i]!, dataset: dataset!, rowId: rowId!, col: col!, value: value! };
    });
  } catch {
    throw new TamperedEnvelopeError();
  }
}
