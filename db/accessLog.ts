import type { ActivityAction } from '../contract/auth.js';
import type { Db } from './connection.js';
import { newId } from './ids.js';
import { stmt } from './statements.js';

export type AccessAction = Exclude<ActivityAction, 'create' | 'update' | 'delete' | 'restore'>;

interface AccessWrite {
  at: string;
  actorId: string | null;
  action: AccessAction;
  entity: string;
  entityId: string;
  detail?: unknown;
}

export function insertAccess(db: Db, a: AccessWrite): void {
  stmt(
    db,
    `INSERT INTO access_log (id, at, actor_id, action, entity, entity_id, detail_json)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    newId(),
    a.at,
    a.actorId,
    a.action,
    a.entity,
    a.entityId,
    a.detail === undefined ? null : JSON.stringify(a.detail),
  );
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
