import type { ActivityAction } from '../contract/auth.js';
import type { Db } from './connection.js';
import { newId } from './ids.js';
import { stmt } from './statements.js';
import { immediateTransaction } from './transaction.js';

export type AccessAction = Exclude<ActivityAction, 'create' | 'update' | 'delete' | 'restore'>;

interface AccessWrite {
  at: string;
  actorId: string | null;
  action: AccessAction;
  entity: string;
  entityId: string;
  detail?: unknown;
}

export function insertAccess(db: Db, a: AccessWrite, id: string = newId()): void {
  stmt(
    db,
    `INSERT INTO access_log (id, at, actor_id, action, entity, entity_id, detail_json)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    a.at,
    a.actorId,
    a.action,
    a.entity,
    a.entityId,
    a.detail === undefined ? null : JSON.stringify(a.detail),
  );
}

/** Rows held for a connection that cannot write yet (holdAccessRows), each with its id made when it happened. */
const held = new WeakMap<Db, { id: string; row: AccessWrite }[]>();

/**
 * From now until writeHeldAccessRows, rows given to insertAccessWhenWritable are held instead of
 * written: for a connection kept query-only while its integrity check runs.
 */
export function holdAccessRows(db: Db): void {
  held.set(db, []);
}

/**
 * Writes the row now, or holds it (its id and time as of now, so it keeps its place in the log)
 * while the connection's rows are held.
 */
export function insertAccessWhenWritable(db: Db, a: AccessWrite): void {
  const rows = held.get(db);
  if (rows) rows.push({ id: newId(), row: a });
  else insertAccess(db, a);
}

/** Writes the held rows, in order, in one transaction, and stops holding; returns how many. */
export function writeHeldAccessRows(db: Db): number {
  const rows = held.get(db) ?? [];
  held.delete(db);
  immediateTransaction(db, () => {
    for (const { id, row } of rows) insertAccess(db, row, id);
  });
  return rows.length;
}

/** Stops holding without writing (a damaged database is never written); returns how many rows that was. */
export function dropHeldAccessRows(db: Db): number {
  const n = held.get(db)?.length ?? 0;
  held.delete(db);
  return n;
}

/** Whether the same actor logged the same action on the same thing since `since` (to keep repeats out). */
export function loggedSince(db: Db, a: Omit<AccessWrite, 'detail' | 'at'>, since: string): boolean {
  return (
    stmt(
      db,
      `SELECT 1 FROM access_log WHERE actor_id IS ? AND action = ? AND entity = ? AND entity_id = ? AND at >= ?
       LIMIT 1`,
    ).get(a.actorId, a.action, a.entity, a.entityId, since) !== undefined
  );
}

interface ActivityFilter {
  actorId: string | null;
  kind: 'records' | 'signIn' | 'access' | null;
  fromAt: string | null;
  /** Exclusive. */
  toAt: string | null;
  limit: number;
  offset: number;
}

interface ActivityRow {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: ActivityAction;
  entity: string;
  entityId: string;
  detailJson: string | null;
}

// Record changes (audit_log) and everything else (access_log) in one time line.
const ACTIVITY = `
  SELECT a.id, a.at, a.actor_id, a.action, a.entity, a.entity_id, NULL AS detail_json, 'records' AS kind
    FROM audit_log a
  UNION ALL
  SELECT l.id, l.at, l.actor_id, l.action, l.entity, l.entity_id, l.detail_json,
         CASE WHEN l.action IN ('export', 'view_photos') THEN 'access' ELSE 'signIn' END AS kind
    FROM access_log l`;
const WHERE = `WHERE (@actorId IS NULL OR x.actor_id = @actorId) AND (@kind IS NULL OR x.kind = @kind)
  AND (@fromAt IS NULL OR x.at >= @fromAt) AND (@toAt IS NULL OR x.at < @toAt)`;

export function listActivity(db: Db, f: ActivityFilter): { rows: ActivityRow[]; total: number } {
  const rows = stmt(
    db,
    `SELECT x.id, x.at, x.actor_id AS actorId, p.name AS actorName, x.action, x.entity, x.entity_id AS entityId,
       x.detail_json AS detailJson
     FROM (${ACTIVITY}) x LEFT JOIN practitioners p ON p.id = x.actor_id
     ${WHERE} ORDER BY x.at DESC, x.id DESC LIMIT @limit OFFSET @offset`,
  ).all(f) as ActivityRow[];
  const { limit: _l, offset: _o, ...counted } = f;
  const total = (stmt(db, `SELECT count(*) AS n FROM (${ACTIVITY}) x ${WHERE}`).get(counted) as { n: number })
    .n;
  return { rows, total };
}
