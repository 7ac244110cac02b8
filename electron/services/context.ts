import type { Db } from '../../db/connection.js';
import { insertAudit, type AuditAction } from '../../db/audit.js';
import { stmt } from '../../db/statements.js';

/** How the host that serves photos names one: a custom protocol URL, or a signed loopback path. */
export type PhotoUrl = (photoId: string, variant: 'full' | 'preview' | 'thumb') => string;

export interface ServiceContext {
  db: Db;
  /** Injected so tests and the demo generator can control "now". */
  now: () => Date;
  /** The data directory: the database's folder, holding photos/ too. */
  dataDir: string;
  photoUrl: PhotoUrl;
}

export function nowIso(ctx: ServiceContext): string {
  return ctx.now().toISOString();
}

/** Who is making the change: the practitioner currently selected on this machine. */
export function currentActor(ctx: ServiceContext): string | null {
  const row = stmt(
    ctx.db,
    `SELECT value_json AS v FROM settings WHERE key = 'currentPractitionerId'`,
  ).get() as { v: string } | undefined;
  const id = row ? (JSON.parse(row.v) as unknown) : null;
  return typeof id === 'string' ? id : null;
}

export function audit(
  ctx: ServiceContext,
  entity: string,
  entityId: string,
  action: AuditAction,
  before: unknown,
  after: unknown,
  at: string,
): void {
  insertAudit(ctx.db, { at, actorId: currentActor(ctx), entity, entityId, action, before, after });
}

/** Runs `fn` in one IMMEDIATE transaction: all of its writes and its audit rows land, or none do. */
export function inTransaction<T>(ctx: ServiceContext, fn: () => T): T {
  return ctx.db.transaction(fn).immediate();
}
