import type { Migration } from './index.js';

/**
 * Sign-in: a role per practitioner, PIN hashes kept in their own table (so no export or bundle of
 * practitioner rows can carry one), wrong-PIN counters that survive a restart, and an access log
 * for what is not a record change (sign-in, lock, exports, opening photos).
 *
 * A clinic from before sign-in keeps its practitioners; its earliest live one becomes the manager
 * (a clinic always has one), and everyone sets a PIN at their first sign-in, a manager first.
 */
const migration: Migration = {
  version: 4,
  name: 'sign-in',
  up(db) {
    db.exec(`
      ALTER TABLE practitioners ADD COLUMN role TEXT NOT NULL DEFAULT 'practitioner'
        CHECK (role IN ('manager', 'practitioner'));

      UPDATE practitioners SET role = 'manager'
       WHERE id = (SELECT id FROM practitioners WHERE deleted_at IS NULL ORDER BY created_at, id LIMIT 1);

      CREATE TABLE practitioner_pins (
        practitioner_id  TEXT PRIMARY KEY REFERENCES practitioners (id),
        -- scheme and its parameters as used for this hash, so they can be raised later
        params_json      TEXT NOT NULL CHECK (json_valid(params_json)),
        salt             BLOB NOT NULL,
        hash             BLOB NOT NULL,
        updated_at       TEXT NOT NULL
      );

      CREATE TABLE pin_attempts (
        practitioner_id  TEXT PRIMARY KEY REFERENCES practitioners (id),
        failures         INTEGER NOT NULL CHECK (failures >= 0),
        wait_until       TEXT,
        last_failed_at   TEXT NOT NULL
      );

      CREATE TABLE access_log (
        id           TEXT PRIMARY KEY,
        at           TEXT NOT NULL,
        actor_id     TEXT REFERENCES practitioners (id),
        action       TEXT NOT NULL CHECK (action IN ('sign_in', 'sign_out', 'lock', 'unlock',
                       'sign_in_failed', 'sign_in_wait', 'pin_set', 'pin_reset', 'export', 'view_photos')),
        entity       TEXT NOT NULL,
        entity_id    TEXT NOT NULL,
        detail_json  TEXT CHECK (detail_json IS NULL OR json_valid(detail_json))
      );
      CREATE INDEX access_log_by_time ON access_log (at);
      CREATE INDEX access_log_by_actor ON access_log (actor_id, at);
      CREATE INDEX audit_by_time ON audit_log (at);
      CREATE INDEX audit_by_actor ON audit_log (actor_id, at);
    `);
  },
};

export default migration;
