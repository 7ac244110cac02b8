import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { listDevices, revokeDevice } from '../../../db/relay.js';
import { readSyncState, writeSyncState } from '../../../db/sync/state.js';
import { RelayRevoke, RelayStart, type RelayCode, type RelayHere } from '../../../contract/sync.js';
import { requireManager } from '../auth.js';
import type { ServiceContext } from '../context.js';
import { AppError, parseInput } from '../errors.js';
import { pairRoom, RelayOfflineError, RelayRefusedError } from './client.js';
import { NoClinicKeyError, syncKey } from './key.js';
import { CODE_MINUTES, newPairingCode, startRelay, type RunningRelay } from './relayServer.js';

/** The relay's own folder inside this computer's clinic folder: sealed envelopes and files only. */
const RELAY_FOLDER = 'relay';

/** This computer's addresses a relay can offer the rooms: the clinic network's, then loopback. */
function relayAddresses(): string[] {
  const found = Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => a !== undefined && !a.internal && a.family === 'IPv4')
    .map((a) => a.address);
  return [...new Set([...found, '127.0.0.1'])];
}

function startRefusal(err: unknown, host: string, port: number): AppError | null {
  const code = err instanceof Error && 'code' in err ? String(err.code) : '';
  if (code === 'EADDRINUSE')
    return new AppError('conflict', `Port ${port} is taken on this computer: choose another.`, 'port');
  if (code === 'EADDRNOTAVAIL')
    return new AppError(
      'conflict',
      `This computer no longer has the address ${host}: choose another.`,
      'host',
    );
  if (code === 'EACCES')
    return new AppError(
      'conflict',
      `This computer does not let NeedleLog use port ${port}: choose another.`,
      'port',
    );
  return null;
}

/**
 * The clinic's relay run by the app itself on the manager's computer (the alternative to
 * `needlelog relay` on a machine of its own): started from Settings → Sync, started again when the
 * clinic opens, closed with it. This computer's room pairs with it at once; Settings shows a fresh
 * pairing code for the other rooms, the rooms paired, and revokes one.
 */
export function relayHereService(ctx: ServiceContext) {
  let relay: RunningRelay | null = null;
  let message: string | null = null;
  const dir = path.join(ctx.dataDir, RELAY_FOLDER);

  function status(): RelayHere {
    return {
      running: relay !== null,
      url: relay?.url ?? null,
      fingerprint: relay?.fingerprint ?? null,
      addresses: relayAddresses(),
      devices: relay ? listDevices(relay.db) : [],
      message,
    };
  }

  function running(): RunningRelay {
    if (!relay) throw new AppError('conflict', 'The relay is not running on this computer.');
    return relay;
  }

  async function launch(host: string, port: number): Promise<RunningRelay> {
    try {
      relay = await startRelay({ dataDir: dir, host, port });
      message = null;
      // The port chosen for "any" is kept: the rooms paired with this one address.
      writeSyncState(ctx.db, { relayHereHost: host, relayHerePort: String(new URL(relay.url).port) });
      return relay;
    } catch (err) {
      const refusal = startRefusal(err, host, port);
      if (refusal) throw refusal;
      throw err;
    }
  }

  return {
    status(): RelayHere {
      requireManager(ctx);
      return status();
    },

    /** Starts the relay here and pairs this computer's room with it (unless it is paired already). */
    async start(input: z.input<typeof RelayStart>): Promise<RelayHere> {
      requireManager(ctx);
      const { host, port, name } = parseInput(RelayStart, input);
      if (relay) throw new AppError('conflict', `The relay already runs on this computer, at ${relay.url}.`);
      let key: Buffer;
      try {
        key = syncKey(ctx.db);
      } catch (err) {
        if (err instanceof NoClinicKeyError) throw new AppError('conflict', err.message);
        throw err;
      }
      const started = await launch(host, port);
      const s = readSyncState(ctx.db);
      if (!s.deviceToken) {
        try {
          await pairRoom(ctx.db, key, {
            relayUrl: started.url,
            code: newPairingCode(started.db),
            name,
            fingerprint: started.fingerprint,
          });
        } catch (err) {
          if (err instanceof RelayRefusedError || err instanceof RelayOfflineError)
            throw new AppError('conflict', err.message);
          throw err;
        }
      }
      return status();
    },

    /** When the clinic opens: the relay set up here runs again, on its address and port. */
    async resume(): Promise<void> {
      const s = readSyncState(ctx.db);
      if (relay || !s.relayHereHost || !s.relayHerePort) return;
      try {
        await launch(s.relayHereHost, Number(s.relayHerePort));
      } catch (err) {
        message =
          err instanceof AppError
            ? `The relay could not start again: ${err.message}`
            : 'The relay could not start again; see the log.';
      }
    },

    /** Stops the relay here for good (it is not started again when the clinic opens). */
    async stop(): Promise<RelayHere> {
      requireManager(ctx);
      await relay?.close();
      relay = null;
      writeSyncState(ctx.db, { relayHereHost: null, relayHerePort: null });
      return status();
    },

    /** A fresh one-time pairing code for another room (15 minutes). */
    code(): RelayCode {
      requireManager(ctx);
      const code = newPairingCode(running().db);
      return { code, expiresAt: new Date(Date.now() + CODE_MINUTES * 60_000).toISOString() };
    },

    /** Revokes a room's credential: its next request is refused. */
    revoke(input: z.input<typeof RelayRevoke>): RelayHere {
      requireManager(ctx);
      const { deviceId } = parseInput(RelayRevoke, input);
      const devices = listDevices(running().db);
      const device = devices.find((d) => d.id === deviceId);
      if (!device) throw new AppError('not_found', 'That room is not paired with this relay.');
      if (device.revokedAt) throw new AppError('conflict', `${device.name} is already revoked.`);
      revokeDevice(running().db, deviceId, new Date().toISOString());
      return status();
    },

    /** With the clinic: the relay closes (rooms see it offline until it runs again). */
    async close(): Promise<void> {
      await relay?.close();
      relay = null;
    },
  };
}
