import type Database from 'better-sqlite3-multiple-ciphers';
import { migrations } from './migrations/index.js';

export class NewerSchemaError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `This database was written by a newer version of NeedleLog (schema ${found}; this app knows up to ${supported}). ` +
        'Update NeedleLog to open it. Nothing was changed.',
    );
    this.name = 'NewerSchemaError';
  }
}

export const LATEST_VERSION = migrations[migrations.length - 1]?.version ?? 0;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every pending migration in one transaction, so a failure part-way leaves the database
 * exactly as it was. `target` exists for tests that build databases at older versions.
 */
export function migrate(db: Database.Database, target: number = LATEST_VERSION): number {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) throw new NewerSchemaError(current, LATEST_VERSION);
  const pending = migrations.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return current;
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      // user_version takes no bound parameters; the value is an integer from our own list.
      db.pragma(`user_version = ${Number(m.version)}`);
    }
  }).immediate();
  return schemaVersion(db);
}
