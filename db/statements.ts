import type Database from 'better-sqlite3-multiple-ciphers';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** Prepares each SQL text once per connection and reuses it. */
export function stmt(db: Database.Database, sql: string): Database.Statement {
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  let s = perDb.get(sql);
  if (!s) {
    s = db.prepare(sql);
    perDb.set(sql, s);
  }
  return s;
}
