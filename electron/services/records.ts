import type { Db } from '../../db/connection.js';
import { newId } from '../../db/ids.js';
import { audit, inTransaction, nowIso, type ServiceContext } from './context.js';
import { AppError, notFound } from './errors.js';

/** What the generic write paths need to know about one kind of clinical record. */
export interface RecordStore<T extends { id: string; updatedAt: string; deletedAt: string | null }> {
  entity: string;
  /** How a practitioner names it in a message ("client", "session"). */
  label: string;
  get(db: Db, id: string): T | undefined;
  update(db: Db, record: T): void;
}

type Stamps = { id: string; createdAt: string; updatedAt: string; deletedAt: null };

/** A store that can also write new records: `F` is what the service supplies, before id and stamps. */
export interface CreatableStore<T extends Stamped, F> extends RecordStore<T> {
  insert(db: Db, record: F & Stamps): void;
}

type Stamped = { id: string; updatedAt: string; deletedAt: string | null };

export function requireLive<T extends Stamped>(ctx: ServiceContext, store: RecordStore<T>, id: string): T {
  const record = store.get(ctx.db, id);
  if (!record || record.deletedAt !== null) throw notFound(store.label);
  return record;
}

/**
 * Creates one record with its audit row in one transaction. `check` runs inside the transaction
 * first (e.g. "the client still exists"); the record is re-read so derived fields are filled in.
 */
export function createRecord<T extends Stamped, F extends object>(
  ctx: ServiceContext,
  store: RecordStore<T> & {
    insert(db: Db, record: F & { id: string; createdAt: string; updatedAt: string; deletedAt: null }): void;
  },
  fields: F,
  check: () => void = () => {},
): T {
  return inTransaction(ctx, () => {
    check();
    const at = nowIso(ctx);
    const id = newId();
    store.insert(ctx.db, { ...fields, id, createdAt: at, updatedAt: at, deletedAt: null });
    const created = store.get(ctx.db, id) as T;
    audit(ctx, store.entity, id, 'create', null, created, at);
    return created;
  });
}

/**
 * Read-modify-write of one record with its audit row, in one transaction. `change` returns the new
 * record (it may throw an AppError to refuse); `after` re-reads what the UI should see.
 */
export function updateRecord<T extends Stamped>(
  ctx: ServiceContext,
  store: RecordStore<T>,
  id: string,
  change: (before: T, at: string) => T,
): T {
  return inTransaction(ctx, () => {
    const before = requireLive(ctx, store, id);
    const at = nowIso(ctx);
    const next = change(before, at);
    store.update(ctx.db, { ...next, id, updatedAt: at });
    const after = store.get(ctx.db, id) as T;
    audit(ctx, store.entity, id, 'update', before, after, at);
    return after;
  });
}

export function softDelete<T extends Stamped>(ctx: ServiceContext, store: RecordStore<T>, id: string): null {
  inTransaction(ctx, () => {
    const before = requireLive(ctx, store, id);
    const at = nowIso(ctx);
    store.update(ctx.db, { ...before, deletedAt: at, updatedAt: at });
    audit(ctx, store.entity, id, 'delete', before, store.get(ctx.db, id), at);
  });
  return null;
}

/** The record a restored record hangs under (a session's course, a course's client). */
interface ParentOf<T> {
  store: Pick<RecordStore<Stamped>, 'label' | 'get'>;
  idOf(record: T): string;
}

/**
 * Undoes a soft delete. A record whose parent is deleted is refused rather than restored into a
 * place no list shows; the parent is not brought back silently either, since it may have been
 * deleted on purpose (with everything under it): restoring it is its own, audited, step.
 */
export function restore<T extends Stamped>(
  ctx: ServiceContext,
  store: RecordStore<T>,
  id: string,
  parent?: ParentOf<T>,
): T {
  return inTransaction(ctx, () => {
    const before = store.get(ctx.db, id);
    if (!before) throw notFound(store.label);
    if (before.deletedAt === null) return before;
    if (parent) {
      const above = parent.store.get(ctx.db, parent.idOf(before));
      if (!above || above.deletedAt !== null) {
        throw new AppError(
          'conflict',
          `This ${store.label}'s ${parent.store.label} is deleted: restore the ${parent.store.label} first.`,
        );
      }
    }
    const at = nowIso(ctx);
    store.update(ctx.db, { ...before, deletedAt: null, updatedAt: at });
    const after = store.get(ctx.db, id) as T;
    audit(ctx, store.entity, id, 'restore', before, after, at);
    return after;
  });
}
