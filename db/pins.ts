import type { Db } from './connection.js';
import { stmt } from './statements.js';

/** A stored PIN hash with the scheme and parameters it was made with. */
export interface PinRow {
  params: unknown;
  salt: Buffer;
  hash: Buffer;
}

export function getPin(db: Db, practitionerId: string): PinRow | undefined {
  const row = stmt(
    db,
    `SELECT params_json AS params, salt, hash FROM practitioner_pins WHERE practitioner_id = ?`,
  ).get(practitionerId) as { params: string; salt: Buffer; hash: Buffer } | undefined;
  return row ? { params: JSON.parse(row.params) as unknown, salt: row.salt, hash: row.hash } : undefined;
}

export function putPin(db: Db, practitionerId: string, pin: PinRow, at: string): void {
  stmt(
    db,
    `INSERT INTO practitioner_pins (practitioner_id, params_json, salt, hash, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (practitioner_id) DO UPDATE SET params_json = excluded.params_json, salt = excluded.salt,
       hash = excluded.hash, updated_at = excluded.updated_at`,
  ).run(practitionerId, JSON.stringify(pin.params), pin.salt, pin.hash, at);
}

/** Ids of practitioners who have a PIN. */
export function practitionersWithPin(db: Db): Set<string> {
  const rows = stmt(db, `SELECT practitioner_id AS id FROM practitioner_pins`).all() as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

interface Attempts {
  failures: number;
  waitUntil: string | null;
}

export function getAttempts(db: Db, practitionerId: string): Attempts {
  const row = stmt(
    db,
    `SELECT failures, wait_until AS waitUntil FROM pin_attempts WHERE practitioner_id = ?`,
  ).get(practitionerId) as Attempts | undefined;
  return row ?? { failures: 0, waitUntil: null };
}

export function allWaits(db: Db): Map<string, string> {
  const rows = stmt(
    db,
    `SELECT practitioner_id AS id, wait_until AS waitUntil FROM pin_attempts WHERE wait_until IS NOT NULL`,
  ).all() as { id: string; waitUntil: string }[];
  return new Map(rows.map((r) => [r.id, r.waitUntil]));
}

export function putAttempts(db: Db, practitionerId: string, a: Attempts, at: string): void {
  stmt(
    db,
    `INSERT INTO pin_attempts (practitioner_id, failures, wait_until, last_failed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (practitioner_id) DO UPDATE SET failures = excluded.failures,
       wait_until = excluded.wait_until, last_failed_at = excluded.last_failed_at`,
  ).run(practitionerId, a.failures, a.waitUntil, at);
}

export function clearAttempts(db: Db, practitionerId: string): void {
  stmt(db, `DELETE FROM pin_attempts WHERE practitioner_id = ?`).run(practitionerId);
}
