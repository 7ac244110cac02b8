import fs from 'node:fs';
import path from 'node:path';
import { merkle, Timestamp } from '@actual-app/crdt';
import { openSqliteFile, type Db } from './connection.js';
import { stmt } from './statements.js';
import { addToTrie, type TrieNode } from './sync/clock.js';

type Trie = TrieNode;

const RELAY_DB_FILE = 'relay.sqlite';

/** What a relay keeps: sealed envelopes it cannot read, their Merkle trie, and the devices it serves. */
export function openRelayDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  // Plain SQLite on purpose: it holds only sealed envelopes and hashes, and no clinic key ever reaches it.
  const db = openSqliteFile(path.join(dataDir, RELAY_DB_FILE), null);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  if ((db.pragma('user_version', { simple: true }) as number) === 0) {
    db.transaction(() => {
      db.exec(`
        -- A sealed run of one device's messages; last_ts orders "since T".
        CREATE TABLE envelopes (
          id          INTEGER PRIMARY KEY,
          last_ts     TEXT NOT NULL,
          device_id   TEXT NOT NULL,
          timestamps  TEXT NOT NULL,
          sealed      TEXT NOT NULL
        );
        CREATE INDEX envelopes_by_last ON envelopes (last_ts);
        -- Every message time held, once: what the trie is made of, and how resent runs are recognised.
        CREATE TABLE stamps (timestamp TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE relay_merkle (id INTEGER PRIMARY KEY CHECK (id = 1), trie TEXT NOT NULL);
        INSERT INTO relay_merkle (id, trie) VALUES (1, '{}');
        CREATE TABLE devices (
          id          TEXT PRIMARY KEY,
          name        TEXT NOT NULL,
          token_hash  TEXT NOT NULL UNIQUE,
          created_at  TEXT NOT NULL,
          last_seen   TEXT,
          revoked_at  TEXT
        );
        CREATE TABLE relay_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE pairing_codes (
          code_hash   TEXT PRIMARY KEY,
          expires_at  TEXT NOT NULL
        );
        -- Photo files as rooms store them (sealed under each photo's own key), and those asked for in vain.
        CREATE TABLE files (
          file_id    TEXT NOT NULL,
          variant    TEXT NOT NULL,
          device_id  TEXT NOT NULL,
          added_at   TEXT NOT NULL,
          sealed     BLOB NOT NULL,
          PRIMARY KEY (file_id, variant)
        );
        CREATE TABLE files_wanted (file_id TEXT PRIMARY KEY, wanted_at TEXT NOT NULL) WITHOUT ROWID;
        PRAGMA user_version = 1;
      `);
    })();
  }
  if ((db.pragma('user_version', { simple: true }) as number) === 1) {
    db.transaction(() => {
      db.exec(`
        -- Sealed snapshots of the clinic for a new room's first sync, in chunks; only the newest complete
        -- one is kept. The relay knows of each only its size and the latest message time it holds.
        CREATE TABLE snapshots (
          id          TEXT PRIMARY KEY,
          time        TEXT NOT NULL,
          chunks      INTEGER NOT NULL,
          bytes       INTEGER NOT NULL,
          device_id   TEXT NOT NULL,
          created_at  TEXT NOT NULL,
          complete    INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE snapshot_chunks (
          snapshot_id  TEXT NOT NULL,
          n            INTEGER NOT NULL,
          sealed       BLOB NOT NULL,
          PRIMARY KEY (snapshot_id, n)
        ) WITHOUT ROWID;
        PRAGMA user_version = 2;
      `);
    })();
  }
  return db;
}

interface StoredEnvelope {
  timestamps: string[];
  sealed: string;
}

function loadTrie(db: Db): Trie {
  return JSON.parse(
    (stmt(db, `SELECT trie FROM relay_merkle WHERE id = 1`).get() as { trie: string }).trie,
  ) as Trie;
}

/**
 * Stores the envelopes that carry at least one message time not yet held, and folds the new times
 * into the trie, in one transaction. A run resent whole (after a relay restore, or a room going
 * again from an earlier minute) is recognised by its times and not stored twice.
 */
export function storeEnvelopes(db: Db, deviceId: string, envelopes: readonly StoredEnvelope[]): number {
  return db
    .transaction(() => {
      const trie = loadTrie(db);
      let added = 0;
      const stamp = stmt(db, `INSERT OR IGNORE INTO stamps (timestamp) VALUES (?)`);
      const insert = stmt(
        db,
        `INSERT INTO envelopes (last_ts, device_id, timestamps, sealed) VALUES (?, ?, ?, ?)`,
      );
      for (const e of envelopes) {
        let fresh = 0;
        for (const t of e.timestamps) {
          const ts = Timestamp.parse(t);
          if (!ts || stamp.run(t).changes === 0) continue;
          addToTrie(trie, ts);
          fresh += 1;
        }
        if (fresh === 0) continue;
        const last = e.timestamps.reduce((a, b) => (b > a ? b : a));
        insert.run(last, deviceId, e.timestamps.join(','), e.sealed);
        added += fresh;
      }
      if (added > 0) {
        stmt(db, `UPDATE relay_merkle SET trie = ? WHERE id = 1`).run(JSON.stringify(merkle.prune(trie)));
      }
      return added;
    })
    .immediate();
}

/** Envelopes holding messages after `since` that did not come from `deviceId`, in order, at most `limit`. */
export function envelopesSince(
  db: Db,
  since: string,
  deviceId: string,
  limit: number,
): (StoredEnvelope & { lastTs: string })[] {
  const rows = stmt(
    db,
    `SELECT last_ts AS lastTs, timestamps, sealed FROM envelopes
     WHERE last_ts > ? AND device_id <> ? ORDER BY last_ts, id LIMIT ?`,
  ).all(since, deviceId, limit) as { lastTs: string; timestamps: string; sealed: string }[];
  return rows.map((r) => ({ lastTs: r.lastTs, timestamps: r.timestamps.split(','), sealed: r.sealed }));
}

export function relayTrie(db: Db): Trie {
  return loadTrie(db);
}

export interface RelayDevice {
  id: string;
  name: string;
  createdAt: string;
  lastSeen: string | null;
  revokedAt: string | null;
}

export function insertPairingCode(db: Db, codeHash: string, expiresAt: string): void {
  stmt(db, `INSERT INTO pairing_codes (code_hash, expires_at) VALUES (?, ?)`).run(codeHash, expiresAt);
}

/** Uses up a pairing code: true when it existed and had not expired (either way it is gone). */
export function takePairingCode(db: Db, codeHash: string, now: string): boolean {
  stmt(db, `DELETE FROM pairing_codes WHERE expires_at <= ?`).run(now);
  return stmt(db, `DELETE FROM pairing_codes WHERE code_hash = ?`).run(codeHash).changes === 1;
}

export function insertDevice(
  db: Db,
  d: { id: string; name: string; tokenHash: string; createdAt: string },
): void {
  stmt(db, `INSERT INTO devices (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`).run(
    d.id,
    d.name,
    d.tokenHash,
    d.createdAt,
  );
}

const DEVICE = `id, name, created_at AS createdAt, last_seen AS lastSeen, revoked_at AS revokedAt`;

export function deviceByToken(db: Db, tokenHash: string): RelayDevice | undefined {
  return stmt(db, `SELECT ${DEVICE} FROM devices WHERE token_hash = ?`).get(tokenHash) as
    RelayDevice | undefined;
}

export function touchDevice(db: Db, id: string, at: string): void {
  stmt(db, `UPDATE devices SET last_seen = ? WHERE id = ?`).run(at, id);
}

export function listDevices(db: Db): RelayDevice[] {
  return stmt(db, `SELECT ${DEVICE} FROM devices ORDER BY created_at, id`).all() as RelayDevice[];
}

/** Revokes by id, or by name when exactly one live device has it. Returns the device revoked. */
export function revokeDevice(db: Db, idOrName: string, at: string): RelayDevice | null {
  const found = stmt(
    db,
    `SELECT ${DEVICE} FROM devices WHERE revoked_at IS NULL AND (id = ? OR name = ?)`,
  ).all(idOrName, idOrName) as RelayDevice[];
  if (found.length !== 1) return null;
  stmt(db, `UPDATE devices SET revoked_at = ? WHERE id = ?`).run(at, found[0]!.id);
  return { ...found[0]!, revokedAt: at };
}

/** A value every room of one clinic derives from the clinic key; the first room to pair sets it. */
export function clinicKeyCheck(db: Db): string | null {
  return (
    (stmt(db, `SELECT value FROM relay_meta WHERE key = 'key_check'`).get() as { value: string } | undefined)
      ?.value ?? null
  );
}

export function setClinicKeyCheck(db: Db, value: string): void {
  stmt(db, `INSERT OR IGNORE INTO relay_meta (key, value) VALUES ('key_check', ?)`).run(value);
}

/** The newest database schema a room has synced with so far, raised to `version` if that is newer. */
export function newestSchemaSeen(db: Db, version: number): number {
  stmt(
    db,
    `INSERT INTO relay_meta (key, value) VALUES ('schema_version', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value
       WHERE CAST(excluded.value AS INTEGER) > CAST(relay_meta.value AS INTEGER)`,
  ).run(String(version));
  const row = stmt(db, `SELECT value FROM relay_meta WHERE key = 'schema_version'`).get() as {
    value: string;
  };
  return Number(row.value);
}

/**
 * Stores sealed photo files a room sent (a size sent again replaces the one held: a damaged copy
 * is mended by a resend); they are no longer wanted.
 */
export function storeFiles(
  db: Db,
  deviceId: string,
  files: readonly { fileId: string; variant: string; sealed: Buffer }[],
  at: string,
): void {
  const insert = stmt(
    db,
    `INSERT INTO files (file_id, variant, device_id, added_at, sealed) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (file_id, variant) DO UPDATE SET
       device_id = excluded.device_id, added_at = excluded.added_at, sealed = excluded.sealed`,
  );
  const unwant = stmt(db, `DELETE FROM files_wanted WHERE file_id = ?`);
  db.transaction(() => {
    for (const f of files) {
      insert.run(f.fileId, f.variant, deviceId, at, f.sealed);
      unwant.run(f.fileId);
    }
  }).immediate();
}

/** The sizes of one file the relay holds, or none. */
export function filesOf(db: Db, fileId: string): { variant: string; sealed: Buffer }[] {
  return stmt(db, `SELECT variant, sealed FROM files WHERE file_id = ? ORDER BY variant`).all(fileId) as {
    variant: string;
    sealed: Buffer;
  }[];
}

/** Notes files a room asked for and the relay lacks; `drop` first removes copies a room found damaged. */
export function wantFiles(db: Db, fileIds: readonly string[], at: string, drop = false): void {
  const insert = stmt(db, `INSERT OR IGNORE INTO files_wanted (file_id, wanted_at) VALUES (?, ?)`);
  const remove = stmt(db, `DELETE FROM files WHERE file_id = ?`);
  db.transaction(() => {
    for (const id of fileIds) {
      if (drop) remove.run(id);
      insert.run(id, at);
    }
  })();
}

export function wantedFiles(db: Db, limit: number): string[] {
  return stmt(db, `SELECT file_id FROM files_wanted ORDER BY wanted_at, file_id LIMIT ?`)
    .pluck()
    .all(limit) as string[];
}

export interface RelaySnapshot {
  id: string;
  time: string;
  chunks: number;
  bytes: number;
}

const SNAPSHOT = `id, time, chunks, bytes`;

/** The newest complete snapshot the relay holds, or null. */
export function latestSnapshot(db: Db): RelaySnapshot | null {
  return (
    (stmt(
      db,
      `SELECT ${SNAPSHOT} FROM snapshots WHERE complete = 1 ORDER BY time DESC, created_at DESC LIMIT 1`,
    ).get() as RelaySnapshot | undefined) ?? null
  );
}

export function snapshotChunk(db: Db, id: string, n: number): Buffer | null {
  return (
    (stmt(
      db,
      `SELECT sealed FROM snapshot_chunks s JOIN snapshots p ON p.id = s.snapshot_id
               WHERE s.snapshot_id = ? AND s.n = ? AND p.complete = 1`,
    )
      .pluck()
      .get(id, n) as Buffer | undefined) ?? null
  );
}

/** A chunk that does not belong with the snapshot it names, or a snapshot older than one held. */
export class SnapshotConflictError extends Error {}

/** Uploads left unfinished this long are dropped (at every new announcement). */
const ABANDONED_MS = 24 * 3_600_000;

/**
 * The most snapshot bytes the relay holds at once, declared sizes of uploads under way included:
 * twice the largest snapshot it accepts (MAX_CHUNKS × 8 MiB = 8 GiB, electron/services/sync/
 * snapshot.ts), so the newest complete snapshot and one replacing it at full size always fit, while
 * paired devices announcing uploads they never finish cannot fill the relay's disk. (Chunk sizes
 * are checked exactly at the boundary, so a declared size is the size stored.)
 */
export const MAX_SNAPSHOT_STORAGE_BYTES = 16 * 1024 ** 3;

/** Storing an announced snapshot would take the relay past MAX_SNAPSHOT_STORAGE_BYTES. */
export class SnapshotStorageFullError extends Error {
  constructor() {
    super('The relay has no room for another clinic snapshot now; this room tries again later.');
    this.name = 'SnapshotStorageFullError';
  }
}

/**
 * Stores one sealed chunk of a snapshot (the first one announces it); with the last, the snapshot
 * is complete and replaces any older one. Returns whether it is complete.
 */
export function storeSnapshotChunk(
  db: Db,
  deviceId: string,
  chunk: RelaySnapshot & { index: number; sealed: Buffer },
  now: Date,
): boolean {
  return db
    .transaction(() => {
      const known = stmt(
        db,
        `SELECT ${SNAPSHOT}, device_id AS deviceId, complete FROM snapshots WHERE id = ?`,
      ).get(chunk.id) as (RelaySnapshot & { deviceId: string; complete: number }) | undefined;
      if (!known) {
        const newest = latestSnapshot(db);
        if (newest && newest.time >= chunk.time)
          throw new SnapshotConflictError('The relay already holds a snapshot as recent as this one.');
        // A new announcement: uploads abandoned long ago go, and so does this device's own
        // unfinished one (a device has at most one upload under way: a new one means it gave up).
        stmt(db, `DELETE FROM snapshots WHERE complete = 0 AND (device_id = ? OR created_at < ?)`).run(
          deviceId,
          new Date(now.getTime() - ABANDONED_MS).toISOString(),
        );
        stmt(db, `DELETE FROM snapshot_chunks WHERE snapshot_id NOT IN (SELECT id FROM snapshots)`).run();
        const held = stmt(db, `SELECT coalesce(sum(bytes), 0) FROM snapshots`).pluck().get() as number;
        if (held + chunk.bytes > MAX_SNAPSHOT_STORAGE_BYTES) throw new SnapshotStorageFullError();
        stmt(
          db,
          `INSERT INTO snapshots (id, time, chunks, bytes, device_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
        ).run(chunk.id, chunk.time, chunk.chunks, chunk.bytes, deviceId, now.toISOString());
      } else if (
        known.complete ||
        known.deviceId !== deviceId ||
        known.time !== chunk.time ||
        known.chunks !== chunk.chunks ||
        known.bytes !== chunk.bytes
      ) {
        throw new SnapshotConflictError('That chunk does not belong with the snapshot it names.');
      }
      stmt(db, `INSERT OR REPLACE INTO snapshot_chunks (snapshot_id, n, sealed) VALUES (?, ?, ?)`).run(
        chunk.id,
        chunk.index,
        chunk.sealed,
      );
      const held = stmt(db, `SELECT count(*) FROM snapshot_chunks WHERE snapshot_id = ?`)
        .pluck()
        .get(chunk.id) as number;
      if (held < chunk.chunks) return false;
      stmt(db, `UPDATE snapshots SET complete = 1 WHERE id = ?`).run(chunk.id);
      // Only the newest complete snapshot stays, with uploads still under way (unless abandoned).
      stmt(
        db,
        `DELETE FROM snapshots WHERE (complete = 1 AND id <> ?) OR (complete = 0 AND created_at < ?)`,
      ).run(latestSnapshot(db)!.id, new Date(now.getTime() - ABANDONED_MS).toISOString());
      stmt(db, `DELETE FROM snapshot_chunks WHERE snapshot_id NOT IN (SELECT id FROM snapshots)`).run();
      return true;
    })
    .immediate();
}
