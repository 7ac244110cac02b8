import type { Migration } from './index.js';

/**
 * Lot numbers of the numbing agent and the glide / serum beside the cartridge's, so a faulty lot of
 * any of the three can be traced to the clients it touched. Each lot column gets a case-insensitive
 * index over the sessions that recorded one: recall matches "l2450-17" to "L2450-17", and the
 * autocomplete's prefix search reads recency and liveness from the index alone (it covers them).
 */
const migration: Migration = {
  version: 5,
  name: 'lot-recall',
  up(db) {
    db.exec(`
      ALTER TABLE sessions ADD COLUMN numbing_lot TEXT NOT NULL DEFAULT '';
      ALTER TABLE sessions ADD COLUMN glide_lot TEXT NOT NULL DEFAULT '';
      CREATE INDEX sessions_by_cartridge_lot ON sessions (cartridge_lot COLLATE NOCASE, performed_at, deleted_at)
        WHERE cartridge_lot <> '';
      CREATE INDEX sessions_by_numbing_lot ON sessions (numbing_lot COLLATE NOCASE, performed_at, deleted_at)
        WHERE numbing_lot <> '';
      CREATE INDEX sessions_by_glide_lot ON sessions (glide_lot COLLATE NOCASE, performed_at, deleted_at)
        WHERE glide_lot <> '';
    `);
  },
};

export default migration;
