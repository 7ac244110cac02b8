import type { Db } from './connection.js';

/**
 * WAL checkpoints away from the writes that cause them. SQLite's automatic checkpoint runs inside
 * the commit that crosses its threshold (1000 pages): one session save in every twenty-odd paid
 * for copying the log into the database file, with two fsyncs, while the practitioner waited. The
 * main connection's threshold is raised to a backstop for long bursts, and a passive checkpoint
 * runs shortly after each write, once the event loop is free.
 */
export const CHECKPOINT_BACKSTOP_PAGES = 4000;
const CHECKPOINT_DELAY_MS = 100;

const scheduled = new WeakSet<Db>();

/** Checkpoints `db`'s write-ahead log soon, after the current work; once however many writes ask. */
export function checkpointSoon(db: Db): void {
  if (scheduled.has(db)) return;
  scheduled.add(db);
  setTimeout(() => {
    scheduled.delete(db);
    if (!db.open || db.inTransaction) return;
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or closing: the next write asks again, and the backstop still holds.
    }
  }, CHECKPOINT_DELAY_MS).unref();
}
