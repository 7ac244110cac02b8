import { makeClientId } from '@actual-app/crdt';
import type { Migration } from './index.js';

/**
 * Sync between the rooms of a clinic, on Actual Budget's CRDT (hybrid logical clock timestamps and
 * a Merkle trie of message times). Every write records one message per changed field here in the
 * same transaction; remote messages merge last-writer-wins per field by timestamp.
 *
 * - messages: the log, one row per field change, keyed by its unique HLC timestamp. `value` is the
 *   column's value as JSON (so null, numbers and text stay apart).
 * - messages_clock: this machine's clock (last timestamp and node id) and its Merkle trie.
 * - messages_pending: rows whose messages arrived before what they need (a parent record, or all of
 *   their required fields); retried on every apply.
 * - sync_state: this room's link to the clinic's relay (URL, pinned certificate, device credential)
 *   and its sync cursor.
 * - sync_rooms: each room's clock node and the name it was paired under (synced), so History can
 *   name the room a change came from.
 * - sync_files: photo files this room has settled with the relay (sent there, or fetched from it).
 * - audit_log.origin: the node that made the change, so History can say which room it came from.
 */
const migration: Migration = {
  version: 12,
  name: 'sync-messages',
  up(db) {
    db.exec(`
      CREATE TABLE messages (
        timestamp  TEXT PRIMARY KEY,
        dataset    TEXT NOT NULL,
        row_id     TEXT NOT NULL,
        col        TEXT NOT NULL,
        value      TEXT NOT NULL CHECK (json_valid(value))
      ) WITHOUT ROWID;
      CREATE INDEX messages_by_field ON messages (dataset, row_id, col, timestamp);

      CREATE TABLE messages_clock (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        clock  TEXT NOT NULL CHECK (json_valid(clock))
      );

      CREATE TABLE messages_pending (
        dataset  TEXT NOT NULL,
        row_id   TEXT NOT NULL,
        PRIMARY KEY (dataset, row_id)
      ) WITHOUT ROWID;

      CREATE TABLE sync_state (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      );

      CREATE TABLE sync_rooms (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        paired_at  TEXT NOT NULL
      );

      CREATE TABLE sync_files (
        file_id     TEXT PRIMARY KEY,
        settled_at  TEXT NOT NULL
      ) WITHOUT ROWID;

      ALTER TABLE audit_log ADD COLUMN origin TEXT;
    `);
    const clock = JSON.stringify({
      timestamp: `1970-01-01T00:00:00.000Z-0000-${makeClientId().toUpperCase()}`,
      merkle: {},
    });
    db.prepare(`INSERT INTO messages_clock (id, clock) VALUES (1, ?)`).run(clock);
  },
};

export default migration;
