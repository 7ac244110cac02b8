import type { Db } from '../connection.js';
import { stmt } from '../statements.js';

/** This room's link to the clinic's relay and its sync cursor (all optional: a room starts unpaired). */
interface SyncState {
  lastSynced?: string;
  lastSyncedAt?: string;
  relayUrl?: string;
  fingerprint?: string;
  /** The relay's certificate (PEM), pinned at pairing. */
  certificate?: string;
  deviceId?: string;
  deviceToken?: string;
  /** The database file this pairing was made for: a copy elsewhere (another room's backup) must pair again. */
  home?: string;
  /** The clinic's relay runs on this computer (Settings → Sync), on this address and port. */
  relayHereHost?: string;
  relayHerePort?: string;
  /** The latest message time of the newest clinic snapshot this room published, loaded or saw at the relay. */
  snapshotTime?: string;
  /** When this room last asked the relay whether a fresher snapshot is due. */
  snapshotCheckedAt?: string;
  /**
   * The relay snapshot this room failed to load (any reason): never fetched again, the room replays
   * instead. Kept in the file, not in memory, so a restart does not download it once more.
   */
  snapshotRefusedId?: string;
}

export function readSyncState(db: Db): SyncState {
  const rows = stmt(db, `SELECT key, value FROM sync_state`).all() as { key: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.value])) as SyncState;
}

export function writeSyncState(db: Db, patch: Partial<Record<keyof SyncState, string | null>>): void {
  db.transaction(() => {
    for (const [key, value] of Object.entries(patch)) {
      if (value === null || value === undefined) stmt(db, `DELETE FROM sync_state WHERE key = ?`).run(key);
      else {
        stmt(
          db,
          `INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        ).run(key, value);
      }
    }
  })();
}

/** A room as it paired: its clock node (the audit rows' origin) and its name. Logged by recordUnlogged. */
export function insertRoom(db: Db, room: { id: string; name: string; pairedAt: string }): void {
  stmt(db, `INSERT OR REPLACE INTO sync_rooms (id, name, paired_at) VALUES (?, ?, ?)`).run(
    room.id,
    room.name,
    room.pairedAt,
  );
}
