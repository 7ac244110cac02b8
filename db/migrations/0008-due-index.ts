import type { Migration } from './index.js';

/**
 * The overview's active and overdue counts (db/overview.ts, countDue) read every active live course:
 * this covering index holds just those, per client, with the columns the count needs, so the scan is
 * narrow and overdue clients are counted as they come (measured at 100,000 clients, 200,000 active
 * courses: 76 ms of CPU, where the table scan that sorted the overdue clients took 190 ms).
 */
const migration: Migration = {
  version: 8,
  name: 'due-index',
  up(db) {
    db.exec(`
      CREATE INDEX course_stats_due ON course_stats
        (client_id, planned_interval_days, last_at, sessions, planned_sessions, started_on, area)
        WHERE live AND status = 'active';
    `);
  },
};

export default migration;
