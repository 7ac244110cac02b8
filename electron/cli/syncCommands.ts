import type { Db } from '../../db/connection.js';
import { closeDatabase } from '../../db/connection.js';
import { listDevices, openRelayDatabase, revokeDevice } from '../../db/relay.js';
import { pairRoom, pairedLink } from '../services/sync/client.js';
import { syncKey } from '../services/sync/key.js';
import { newPairingCode, startRelay } from '../services/sync/relayServer.js';
import { syncRound } from '../services/sync/round.js';
import os from 'node:os';

type Out = (line: string) => void;

export const SYNC_USAGE = `  relay  --data-dir DIR [--host ADDR] [--port N]
                                        run the clinic's sync relay (its own folder DIR; default
                                        127.0.0.1, port 8443); prints its URL, certificate
                                        fingerprint and a pairing code
  relay-code --data-dir DIR             a fresh one-time pairing code (15 minutes) for a relay
  relay-devices --data-dir DIR          the rooms paired with a relay
  relay-revoke DEVICE --data-dir DIR    revoke a room's credential (by id or name): it stops at once
  pair   --data-dir DIR --relay URL --code CODE [--name ROOM] [--fingerprint FP] --as MANAGER
                                        pair this clinic copy with the relay (pins its certificate)
  sync   --data-dir DIR --as NAME       one sync round with the paired relay`;

interface SyncCliOptions {
  host?: string;
  port?: string;
  relay?: string;
  code?: string;
  name?: string;
  fingerprint?: string;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `needlelog relay`: runs until the process is stopped (SIGINT/SIGTERM close it cleanly). */
export async function runRelay(dataDir: string, opts: SyncCliOptions, out: Out, err: Out): Promise<number> {
  const port = opts.port === undefined ? 8443 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    err(`--port must be a whole number from 0 to 65535, not "${opts.port}".`);
    return 2;
  }
  let relay;
  try {
    relay = await startRelay({ dataDir, host: opts.host ?? '127.0.0.1', port });
  } catch (e) {
    err(`The relay could not start: ${errorText(e)}`);
    return 1;
  }
  const code = newPairingCode(relay.db);
  out(`NeedleLog relay at ${relay.url} certificate ${relay.fingerprint} pairing code ${code}`);
  const running = relay;
  await new Promise<void>((resolve) => {
    const stop = () => void running.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

function withRelayDb<T>(dataDir: string, fn: (db: Db) => T): T {
  const db = openRelayDatabase(dataDir);
  try {
    return fn(db);
  } finally {
    closeDatabase(db);
  }
}

export function runRelayCode(dataDir: string, out: Out): number {
  out(withRelayDb(dataDir, (db) => newPairingCode(db)));
  return 0;
}

export function runRelayDevices(dataDir: string, out: Out): number {
  const devices = withRelayDb(dataDir, listDevices);
  if (devices.length === 0) out('No rooms are paired with this relay.');
  for (const d of devices) {
    const state = d.revokedAt ? `revoked ${d.revokedAt}` : `last seen ${d.lastSeen ?? 'never'}`;
    out(`${d.id}  ${d.name}  paired ${d.createdAt}  ${state}`);
  }
  return 0;
}

export function runRelayRevoke(dataDir: string, positionals: string[], out: Out, err: Out): number {
  const [which] = positionals;
  if (!which || positionals.length > 1) {
    err('relay-revoke takes one device id or name (see "needlelog relay-devices").');
    return 2;
  }
  const revoked = withRelayDb(dataDir, (db) => revokeDevice(db, which, new Date().toISOString()));
  if (!revoked) {
    err(`No single paired room is called or numbered "${which}" (see "needlelog relay-devices").`);
    return 1;
  }
  out(`Revoked ${revoked.name} (${revoked.id}): it can no longer sync with this relay.`);
  return 0;
}

export async function runPair(db: Db, opts: SyncCliOptions, out: Out, err: Out): Promise<number> {
  if (!opts.relay || !opts.code) {
    err('pair needs --relay URL and --code CODE (both printed by the relay, or shown in Settings → Sync).');
    return 2;
  }
  try {
    const paired = await pairRoom(db, syncKey(db), {
      relayUrl: opts.relay,
      code: opts.code,
      name: opts.name ?? os.hostname(),
      ...(opts.fingerprint ? { fingerprint: opts.fingerprint } : {}),
    });
    out(`Paired with ${opts.relay} (certificate ${paired.fingerprint}). Compare it with the relay's line.`);
    return 0;
  } catch (e) {
    err(errorText(e));
    return 1;
  }
}

export async function runSync(db: Db, out: Out, err: Out): Promise<number> {
  try {
    const report = await syncRound(db, syncKey(db), pairedLink(db));
    const { loaded, refused, published } = report.snapshot;
    if (refused) err(refused);
    if (loaded)
      out(
        `Started from the clinic snapshot (${loaded.messages} changes, up to ${loaded.time.slice(0, 19)}Z).`,
      );
    out(
      `Synced: sent ${report.sent} and received ${report.received} changes; ${report.rowsChanged} records updated` +
        (report.pending > 0 ? `; ${report.pending} waiting for the rest of their changes.` : '.'),
    );
    if (published) out(`Published a clinic snapshot for new rooms (${published.messages} changes).`);
    return 0;
  } catch (e) {
    err(errorText(e));
    return 1;
  }
}
