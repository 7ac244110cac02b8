import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from '../../db/connection.js';
import { insertAudit, type AuditAction } from '../../db/audit.js';
import { nodeOf } from '../../db/sync/clock.js';
import { recordChanges } from '../../db/sync/messages.js';
import { immediateTransaction } from '../../db/transaction.js';

/** How the host that serves photos names one: a custom protocol URL, or a signed loopback path. */
export type PhotoUrl = (photoId: string, variant: 'full' | 'preview' | 'thumb') => string;

export interface ServiceContext {
  db: Db;
  /** Injected so tests and the demo generator can control "now". */
  now: () => Date;
  /** The data directory: the database's folder, holding photos/ too. */
  dataDir: string;
  photoUrl: PhotoUrl;
  /**
   * Who acts when no call is in progress: set by the CLI after `--as NAME` and its PIN, and by
   * tests that call services directly. The hosts never set it: every API call runs `asActor`.
   */
  defaultActor: string | null;
}

/** The signed-in practitioner of the API call being served (null: nobody is signed in). */
const actorScope = new AsyncLocalStorage<{ actorId: string | null }>();

/**
 * Runs `fn` (and everything it starts: promises, timers, jobs) as `actorId`, the practitioner of
 * the caller's signed-in session. The actor of every audit row comes from here, never from a
 * request body.
 */
export function asActor<T>(actorId: string | null, fn: () => T): T {
  return actorScope.run({ actorId }, fn);
}

export function nowIso(ctx: ServiceContext): string {
  return ctx.now().toISOString();
}

/** Who is making the change: the signed-in practitioner of the call being served. */
export function currentActor(ctx: ServiceContext): string | null {
  const scope = actorScope.getStore();
  return scope ? scope.actorId : ctx.defaultActor;
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
  const origin = nodeOf(ctx.db);
  const auditId = insertAudit(ctx.db, {
    at,
    actorId: currentActor(ctx),
    entity,
    entityId,
    action,
    before,
    after,
    origin,
  });
  // Every audited write is also the sync log's entry point: one message per changed field, of the
  // record and of its audit row, in this same transaction.
  recordChanges(ctx.db, [
    [entity, entityId],
    ['audit', auditId],
  ]);
}

/** Runs `fn` in one IMMEDIATE transaction: all of its writes and its audit rows land, or none do. */
export function inTransaction<T>(ctx: ServiceContext, fn: () => T): T {
  return immediateTransaction(ctx.db, fn);
}
