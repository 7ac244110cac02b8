import crypto from 'node:crypto';
import https from 'node:https';
import tls from 'node:tls';
import type { Db } from '../../../db/connection.js';
import { loadClock, newNode, saveClock } from '../../../db/sync/clock.js';
import { recordUnlogged } from '../../../db/sync/messages.js';
import { insertRoom } from '../../../db/sync/state.js';
import { readSyncState, writeSyncState } from '../../../db/sync/state.js';
import { deferredTransaction } from '../../../db/transaction.js';
import type { FilesRequest, FilesResponse } from './files.js';
import type { ExchangeRequest, ExchangeResponse } from './relay.js';
import type { RelayLink } from './round.js';
import {
  MAX_LATEST_ANSWER,
  MAX_SEALED_CHUNK,
  snapshotQuery,
  type SnapshotLatestResponse,
  type SnapshotPutResponse,
} from './snapshot.js';

/** The relay could not be reached: changes wait here and go out at the next round. */
export class RelayOfflineError extends Error {
  constructor(url: string) {
    super(
      `The clinic's relay (${url}) cannot be reached. Changes wait on this computer and go out at the next sync.`,
    );
    this.name = 'RelayOfflineError';
  }
}

/** The relay answered with a refusal (revoked device, wrong code, …): its sentence. */
export class RelayRefusedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RelayRefusedError';
  }
}

class NotPairedError extends Error {
  constructor() {
    super('This room is not paired with a clinic relay yet: pair it in Settings → Sync (or needlelog pair).');
    this.name = 'NotPairedError';
  }
}

/** The pairing came with a copy of another clinic folder: syncing would sign changes as that room. */
class CopiedPairingError extends Error {
  constructor() {
    super(
      'This clinic folder was copied or restored from another place, so its pairing belongs to another room. ' +
        'Pair this room again (Settings → Sync) before it syncs.',
    );
    this.name = 'CopiedPairingError';
  }
}

const TIMEOUT_MS = 30_000;
const WRONG_CERTIFICATE =
  'The relay presented a certificate other than the one this room paired with: nothing was sent. ' +
  'If the relay was set up again, pair this room again.';

function parseUrl(url: string): URL {
  const u = new URL(url);
  if (u.protocol !== 'https:') throw new Error('The relay address starts with https://.');
  return u;
}

/** The certificate a relay presents, before trusting it (what a room pins when it pairs). */
function fetchCertificate(url: string): Promise<{ pem: string; fingerprint: string }> {
  const u = parseUrl(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 443), rejectUnauthorized: false },
      () => {
        const raw = socket.getPeerCertificate(false).raw;
        socket.end();
        const x509 = new crypto.X509Certificate(raw);
        resolve({ pem: x509.toString(), fingerprint: x509.fingerprint256 });
      },
    );
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error('timeout')));
    socket.on('error', () => reject(new RelayOfflineError(url)));
  });
}

/**
 * One POST to the relay, trusting only the pinned certificate (by its fingerprint). A body that is
 * bytes goes as bytes, and an answer in bytes comes back as a Buffer; anything else is JSON.
 */
export function postPinned<T>(
  url: string,
  pin: { pem: string; fingerprint: string },
  route: string,
  body: unknown,
  token?: string,
  /** The largest answer accepted (a snapshot chunk, its description): more is refused unread. */
  maxBytes = Infinity,
): Promise<T> {
  const u = parseUrl(url);
  const bytes = Buffer.isBuffer(body);
  const data = bytes ? body : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: Number(u.port || 443),
        path: route,
        method: 'POST',
        agent: false,
        ca: [pin.pem],
        checkServerIdentity: (_host, cert) =>
          cert.fingerprint256 === pin.fingerprint ? undefined : new Error(WRONG_CERTIFICATE),
        headers: {
          'Content-Type': bytes ? 'application/octet-stream' : 'application/json',
          'Content-Length': data.length,
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        const tooLarge = () => {
          reject(
            new RelayRefusedError(
              res.statusCode ?? 0,
              'The relay sent an answer larger than this room accepts.',
            ),
          );
          req.destroy();
        };
        if (Number(res.headers['content-length'] ?? 0) > maxBytes) return tooLarge();
        res.on('data', (c: Buffer) => {
          received += c.length;
          if (received > maxBytes) return tooLarge();
          chunks.push(c);
        });
        res.on('end', () => {
          if (res.statusCode === 200 && res.headers['content-type'] === 'application/octet-stream')
            return resolve(Buffer.concat(chunks) as T);
          let json: unknown;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(
              new RelayRefusedError(res.statusCode ?? 0, 'The relay sent an answer this room cannot read.'),
            );
          }
          if (res.statusCode === 200) resolve(json as T);
          else {
            const sentence = (json as { error?: unknown }).error;
            reject(
              new RelayRefusedError(
                res.statusCode ?? 0,
                typeof sentence === 'string' ? sentence : 'The relay refused.',
              ),
            );
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => {
      const code = 'code' in err ? String(err.code) : '';
      if (/certificate other than/.test(err.message) || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
        reject(new RelayRefusedError(0, WRONG_CERTIFICATE));
      } else reject(new RelayOfflineError(url));
    });
    req.end(data);
  });
}

/** What proves to the relay that rooms share one clinic key, revealing nothing of it. */
function keyCheckOf(key: Buffer): string {
  return crypto.createHmac('sha256', key).update('NeedleLog relay key check').digest('hex');
}

/**
 * Pairs this room with a relay: pins its certificate (refusing one other than `fingerprint` when
 * given), trades the one-time code for this room's own device credential, and gives the room a
 * fresh clock node (a room set up from another's backup must not sign changes with its node).
 */
export async function pairRoom(
  db: Db,
  key: Buffer,
  opts: { relayUrl: string; code: string; name: string; fingerprint?: string },
): Promise<{ deviceId: string; fingerprint: string }> {
  const pin = await fetchCertificate(opts.relayUrl);
  const wanted = opts.fingerprint?.toUpperCase().replace(/[^0-9A-F]/g, '');
  if (wanted && pin.fingerprint.replace(/:/g, '') !== wanted) {
    throw new RelayRefusedError(
      0,
      `The relay at ${opts.relayUrl} presented certificate ${pin.fingerprint}, not the fingerprint given: nothing was sent to it.`,
    );
  }
  const { deviceId, token } = await postPinned<{ deviceId: string; token: string }>(
    opts.relayUrl,
    pin,
    '/v1/pair',
    {
      code: opts.code,
      name: opts.name,
      keyCheck: keyCheckOf(key),
    },
  );
  deferredTransaction(db, () => {
    const clock = loadClock(db);
    const node = newNode();
    clock.timestamp.setNode(node);
    saveClock(db, clock);
    // The room's name travels with its node, so History in every room can say where a change came from.
    insertRoom(db, { id: node, name: opts.name, pairedAt: new Date().toISOString() });
    writeSyncState(db, {
      relayUrl: opts.relayUrl,
      fingerprint: pin.fingerprint,
      certificate: pin.pem,
      deviceId,
      deviceToken: token,
      home: db.name,
      lastSynced: null,
    });
    recordUnlogged(db);
  });
  return { deviceId, fingerprint: pin.fingerprint };
}

/** The link to the relay this room paired with. */
export function pairedLink(db: Db): RelayLink & { url: string } {
  const s = readSyncState(db);
  if (!s.relayUrl || !s.certificate || !s.fingerprint || !s.deviceToken) throw new NotPairedError();
  if (s.home !== db.name) throw new CopiedPairingError();
  const pin = { pem: s.certificate, fingerprint: s.fingerprint };
  const url = s.relayUrl;
  const token = s.deviceToken;
  return {
    url,
    exchange: (req: ExchangeRequest) => postPinned<ExchangeResponse>(url, pin, '/v1/exchange', req, token),
    files: (req: FilesRequest) => postPinned<FilesResponse>(url, pin, '/v1/files', req, token),
    snapshots: {
      latest: () =>
        postPinned<SnapshotLatestResponse>(url, pin, '/v1/snapshot/latest', {}, token, MAX_LATEST_ANSWER),
      chunk: (req) => postPinned<Buffer>(url, pin, '/v1/snapshot/chunk', req, token, MAX_SEALED_CHUNK),
      put: (chunk, sealed) =>
        postPinned<SnapshotPutResponse>(url, pin, `/v1/snapshot/put?${snapshotQuery(chunk)}`, sealed, token),
    },
  };
}
