import type { Migration } from './index.js';

/**
 * Passes per zone (issue 16, face zone map): practitioners record how many passes each zone had
 * (two on the forehead, four on the cheeks at the scars), beside its depth. Rows stored before
 * stay without a number (unknown): the session's own passes say nothing about any one zone, so
 * no per-zone value is made up from them. The same whole-number range the form and contract allow.
 */
const migration: Migration = {
  version: 14,
  name: 'zone-passes',
  up(db) {
    db.exec(`ALTER TABLE session_zones ADD COLUMN passes INTEGER CHECK (passes BETWEEN 1 AND 20)`);
  },
};

export default migration;
