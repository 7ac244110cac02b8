import type { Db } from './connection.js';
import { stmt } from './statements.js';

/** The stored settings rows as written: a key and its value's JSON text each. */
export function readSettingsText(db: Db): { key: string; value: string }[] {
  return stmt(db, `SELECT key, value_json AS value FROM settings ORDER BY key`).all() as {
    key: string;
    value: string;
  }[];
}

export function readSettings(db: Db): Map<string, unknown> {
  return new Map(readSettingsText(db).map((r) => [r.key, JSON.parse(r.value) as unknown]));
}

export function writeSetting(db: Db, key: string, value: unknown, at: string): void {
  stmt(
    db,
    `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), at);
}
