import type { AuditEntry } from '../contract/schemas.js';
import type { Db } from './connection.js';
import { newId } from './ids.js';
import { stmt } from './statements.js';

export type AuditAction = AuditEntry['action'];

interface AuditWrite {
  at: string;
  actorId: string | null;
  entity: string;
  entityId: string;
  action: AuditAction;
  before: unknown;
  after: unknown;
  /** The sync node (room) that made the change. */
  origin?: string | null;
}

/** Writes one audit row; returns its id. */
export function insertAudit(db: Db, a: AuditWrite): string {
  const id = newId();
  stmt(
    db,
    `INSERT INTO audit_log (id, at, actor_id, entity, entity_id, action, before_json, after_json, origin)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    a.at,
    a.actorId,
    a.entity,
    a.entityId,
    a.action,
    a.before === undefined ? null : JSON.stringify(a.before),
    a.after === undefined ? null : JSON.stringify(a.after),
    a.origin ?? null,
  );
  return id;
}

interface AuditRow extends Omit<AuditEntry, 'before' | 'after'> {
  beforeJson: string | null;
  afterJson: string | null;
}

export function listAudit(db: Db, entity: string, entityId: string): AuditEntry[] {
  const rows = stmt(
    db,
    `SELECT a.id, a.at, a.actor_id AS actorId, p.name AS actorName, a.entity, a.entity_id AS entityId,
       a.action, a.before_json AS beforeJson, a.after_json AS afterJson, r.name AS origin
     FROM audit_log a LEFT JOIN practitioners p ON p.id = a.actor_id LEFT JOIN sync_rooms r ON r.id = a.origin
     WHERE a.entity = ? AND a.entity_id = ? ORDER BY a.at, a.id`,
  ).all(entity, entityId) as AuditRow[];
  return rows.map(({ beforeJson, afterJson, ...r }) => ({
    ...r,
    before: beforeJson === null ? null : (JSON.parse(beforeJson) as unknown),
    after: afterJson === null ? null : (JSON.parse(afterJson) as unknown),
  }));
}
