import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { closeDatabase, type Db } from '../../../db/connection.js';
import {
  clinicKeyCheck,
  deviceByToken,
  insertDevice,
  insertPairingCode,
  openRelayDatabase,
  setClinicKeyCheck,
  SnapshotConflictError,
  SnapshotStorageFullError,
  takePairingCode,
  touchDevice,
} from '../../../db/relay.js';
import { newId } from '../../../db/ids.js';
import { deferredTransaction } from '../../../db/transaction.js';
import { exchangeFiles } from './files.js';
import { exchange, OutdatedRoomError } from './relay.js';
import { snapshotAnswers, SnapshotRequestError } from './snapshot.js';

const CERT_FILE = 'relay-cert.pem';
const KEY_FILE = 'relay-key.pem';
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_MINUTES = 15;
const MAX_BODY = 64 * 1024 * 1024;

export const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** The relay's certificate, made once (self-signed, ten years) and kept in its data directory. */
async function relayCertificate(
  dataDir: string,
): Promise<{ cert: string; key: string; fingerprint: string }> {
  const certFile = path.join(dataDir, CERT_FILE);
  const keyFile = path.join(dataDir, KEY_FILE);
  if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) {
    fs.mkdirSync(dataDir, { recursive: true });
    // Loaded only here, the first time a relay starts: the X.509 code is half of the main side's
    // JavaScript, and every start of the app parsed it.
    const { default: selfsigned } = await import('selfsigned');
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'NeedleLog relay' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3_600_000),
    });
    fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
    fs.writeFileSync(certFile, pems.cert);
  }
  const cert = fs.readFileSync(certFile, 'utf8');
  return {
    cert,
    key: fs.readFileSync(keyFile, 'utf8'),
    fingerprint: new crypto.X509Certificate(cert).fingerprint256,
  };
}

function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

/** A fresh one-time pairing code (60 bits, 15 minutes); only its hash is kept. */
export function newPairingCode(db: Db, now = new Date()): string {
  const bytes = crypto.randomBytes(12);
  const raw = [...bytes].map((b) => CODE_ALPHABET[b % 32]).join('');
  insertPairingCode(db, sha256(raw), new Date(now.getTime() + CODE_MINUTES * 60_000).toISOString());
  return raw.match(/.{4}/g)!.join('-');
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const PairRequest = z.strictObject({
  code: z.string().min(1).max(40),
  name: z.string().trim().min(1).max(100),
  keyCheck: z.string().regex(/^[0-9a-f]{64}$/),
});

/** A request's bytes, at most MAX_BODY. */
function readRaw(req: import('node:http').IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'That request is too large for the relay.'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readBody(req: import('node:http').IncomingMessage): Promise<unknown> {
  const raw = await readRaw(req);
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'The relay could not read that request.');
  }
}

/**
 * What a paired device may ask: a sync round's exchange of envelopes, photo files, clinic snapshots.
 * A `bytes` route takes its sealed body as raw bytes, described by its query string (a snapshot
 * chunk: 8 MiB that JSON and base64 would only slow down); an answer that is bytes goes out as bytes.
 */
const DEVICE_ROUTES: Record<
  string,
  { answer: (db: Db, deviceId: string, body: unknown) => unknown; what: string; bytes?: true }
> = {
  '/v1/exchange': { answer: exchange, what: 'sync request' },
  '/v1/files': { answer: exchangeFiles, what: 'photo files request' },
  '/v1/snapshot/latest': { answer: snapshotAnswers.latest, what: 'snapshot request' },
  '/v1/snapshot/chunk': { answer: snapshotAnswers.chunk, what: 'snapshot request' },
  '/v1/snapshot/put': { answer: snapshotAnswers.put, what: 'snapshot upload', bytes: true },
};

export interface RunningRelay {
  url: string;
  fingerprint: string;
  db: Db;
  close(): Promise<void>;
}

/**
 * The relay: an HTTPS server on the address the clinic chooses, storing only sealed envelopes. Two
 * requests: pair (a one-time code for a device credential) and exchange (a device's sync round).
 */
export async function startRelay(opts: {
  dataDir: string;
  host?: string;
  port?: number;
}): Promise<RunningRelay> {
  const { cert, key, fingerprint } = await relayCertificate(opts.dataDir);
  const db = openRelayDatabase(opts.dataDir);
  let failedPairings: number[] = [];

  function pair(input: unknown) {
    const now = Date.now();
    failedPairings = failedPairings.filter((t) => now - t < 60_000);
    if (failedPairings.length >= 10)
      throw new HttpError(429, 'Too many wrong pairing codes: wait a minute, then try again.');
    const parsed = PairRequest.safeParse(input);
    if (!parsed.success) throw new HttpError(400, 'The relay could not read that pairing request.');
    const { code, name, keyCheck } = parsed.data;
    return deferredTransaction(db, () => {
      if (!takePairingCode(db, sha256(normaliseCode(code)), new Date(now).toISOString())) {
        failedPairings.push(now);
        throw new HttpError(
          403,
          "That pairing code is wrong, used or expired. Make a fresh one on the relay's computer (Settings → Sync, or needlelog relay-code).",
        );
      }
      const known = clinicKeyCheck(db);
      if (known !== null && known !== keyCheck) {
        throw new HttpError(
          409,
          "This room's clinic key is not the one the other rooms use. Set this room up from the clinic's backup (with the clinic passphrase), then pair again.",
        );
      }
      setClinicKeyCheck(db, keyCheck);
      const token = crypto.randomBytes(32).toString('base64url');
      const deviceId = newId();
      insertDevice(db, {
        id: deviceId,
        name,
        tokenHash: sha256(token),
        createdAt: new Date(now).toISOString(),
      });
      return { deviceId, token };
    });
  }

  function authenticated(header: string | undefined): string {
    const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
    const device = token ? deviceByToken(db, sha256(token)) : undefined;
    if (!device)
      throw new HttpError(401, 'This room is not paired with this relay. Pair it in Settings → Sync.');
    if (device.revokedAt !== null) {
      throw new HttpError(
        403,
        "This room's access was revoked by the clinic manager. Pair it again to sync.",
      );
    }
    // "Last seen" for the manager's list: once a minute is plenty, and spares a write per request.
    const now = new Date();
    if (!device.lastSeen || now.getTime() - Date.parse(device.lastSeen) > 60_000)
      touchDevice(db, device.id, now.toISOString());
    return device.id;
  }

  const server = https.createServer({ cert, key }, (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      try {
        if (req.method !== 'POST') throw new HttpError(405, 'The relay answers POST requests only.');
        if (req.url === '/v1/pair') return reply(200, pair(await readBody(req)));
        const url = new URL(req.url ?? '/', 'https://relay');
        const route = DEVICE_ROUTES[url.pathname];
        if (route && (route.bytes || url.search === '')) {
          const deviceId = authenticated(req.headers.authorization);
          const body = route.bytes
            ? { ...Object.fromEntries(url.searchParams), sealed: await readRaw(req) }
            : await readBody(req);
          try {
            const answer = route.answer(db, deviceId, body);
            if (!Buffer.isBuffer(answer)) return reply(200, answer);
            res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' });
            return res.end(answer);
          } catch (err) {
            if (err instanceof z.ZodError)
              throw new HttpError(400, `The relay could not read that ${route.what}.`);
            if (err instanceof SnapshotRequestError) throw new HttpError(err.status, err.message);
            if (err instanceof SnapshotConflictError) throw new HttpError(409, err.message);
            if (err instanceof OutdatedRoomError) throw new HttpError(409, err.message);
            if (err instanceof SnapshotStorageFullError) throw new HttpError(507, err.message);
            throw err;
          }
        }
        throw new HttpError(404, 'The relay has no such address.');
      } catch (err) {
        if (err instanceof HttpError) reply(err.status, { error: err.message });
        else reply(500, { error: 'The relay failed on that request; see its log.' });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `https://${host}:${port}`,
    fingerprint,
    db,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          closeDatabase(db);
          resolve();
        });
      }),
  };
}
