import crypto from 'node:crypto';
import { closeDatabase, type Db } from '../../db/connection.js';
import { openRelayDatabase } from '../../db/relay.js';
import { SYNCED_TABLES } from '../../db/sync/datasets.js';
import { nodeOf } from '../../db/sync/clock.js';
import { merkleHash, recordUnlogged } from '../../db/sync/messages.js';
import { insertRoom } from '../../db/sync/state.js';
import { exchangeFiles } from '../../electron/services/sync/files.js';
import { exchange } from '../../electron/services/sync/relay.js';
import { snapshotAnswers, snapshotQuery } from '../../electron/services/sync/snapshot.js';
import { syncRound, type RelayLink } from '../../electron/services/sync/round.js';
import { openTestClinic, tempDir, type TestClinic } from './clinic.js';

/** A relay's database on disk, served in-process (the TLS server around it has its own tests). */
export function testRelay(dir = tempDir('needlelog-relay-')) {
  let db: Db = openRelayDatabase(dir);
  return {
    dir,
    get db() {
      return db;
    },
    /** Closes and reopens the relay's database, as a relay process killed and started again would. */
    restart() {
      closeDatabase(db);
      db = openRelayDatabase(dir);
    },
    link(deviceId: string): RelayLink {
      // Through JSON both ways, as over the wire.
      const wire =
        <T>(answer: (input: unknown) => T) =>
        (req: unknown) =>
          Promise.resolve(JSON.parse(JSON.stringify(answer(JSON.parse(JSON.stringify(req))))) as T);
      return {
        exchange: wire((input) => exchange(db, deviceId, input)),
        files: wire((input) => exchangeFiles(db, deviceId, input)),
        snapshots: {
          latest: () => wire((input) => snapshotAnswers.latest(db, deviceId, input))({}),
          // Bytes both ways, as over the wire (a copy, so the relay's own buffer is never shared).
          chunk: (req) => Promise.resolve(Buffer.from(snapshotAnswers.chunk(db, deviceId, req))),
          put: (chunk, sealed) =>
            Promise.resolve(
              snapshotAnswers.put(db, deviceId, {
                ...Object.fromEntries(new URLSearchParams(snapshotQuery(chunk))),
                sealed: Buffer.from(sealed),
              }),
            ),
        },
      };
    },
    close() {
      closeDatabase(db);
    },
  };
}
export type TestRelay = ReturnType<typeof testRelay>;

/** The clinic key every room of a test clinic shares (issue 14's key; here a random one per test). */
export function testClinicKey(): Buffer {
  return crypto.randomBytes(32);
}

export interface Room extends TestClinic {
  name: string;
  /** A round with tiny pages (7 messages an envelope, 3 envelopes a request), so paging is exercised. */
  sync(): ReturnType<typeof syncRound>;
  /** A round with the sizes the app uses. */
  syncFull(): ReturnType<typeof syncRound>;
}

export function openRooms(names: string[], relay: TestRelay, key: Buffer): Room[] {
  return names.map((name) => {
    const clinic = openTestClinic();
    // As pairing does: the room's name, under its clock node, for History to show.
    insertRoom(clinic.db, { id: nodeOf(clinic.db), name, pairedAt: new Date().toISOString() });
    recordUnlogged(clinic.db);
    return {
      ...clinic,
      name,
      sync: () =>
        syncRound(clinic.db, key, relay.link(name), { envelopesPerRequest: 3, messagesPerEnvelope: 7 }),
      syncFull: () => syncRound(clinic.db, key, relay.link(name)),
    };
  });
}

/** Every synced table (and the zone rows) as stored, in key order: what must be equal in every room. */
export function recordTables(db: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const table of SYNCED_TABLES) {
    const key = table === 'settings' ? 'key' : 'id';
    const rows = db.prepare(`SELECT * FROM ${table} ORDER BY ${key}`).all() as Record<string, unknown>[];
    out[table] =
      table === 'settings'
        ? rows.filter((r) => r.key !== 'currentPractitionerId' && r.key !== 'locale')
        : rows;
  }
  out.session_zones = db.prepare(`SELECT * FROM session_zones ORDER BY session_id, position`).all();
  // Derived tables (kept by triggers, never synced) must come out the same wherever the rows landed.
  for (const derived of ['course_stats', 'course_agent_stats', 'session_hour_stats']) {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(derived);
    if (exists) out[derived] = db.prepare(`SELECT * FROM ${derived} ORDER BY 1, 2, 3`).all();
  }
  return out;
}

export { merkleHash };
