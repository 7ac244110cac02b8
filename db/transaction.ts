import { checkpointSoon } from './checkpoint.js';
import type { Db } from './connection.js';

/** Runs `fn` in one IMMEDIATE transaction (the write lock taken first): all its writes land, or none. */
export function immediateTransaction<T>(db: Db, fn: () => T): T {
  const result = db.transaction(fn).immediate();
  // After the outermost commit only (an inner one is a savepoint).
  if (!db.inTransaction) checkpointSoon(db);
  return result;
}

/** Runs `fn` in one DEFERRED transaction (better-sqlite3's default): all its writes land, or none. */
export function deferredTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn)();
}
