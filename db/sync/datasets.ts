import type { Db } from '../connection.js';
import { foldForSort } from '../text.js';

/**
 * Which tables travel between rooms, and how. Everything here is clinical or clinic-wide; what is
 * about one machine stays on it: PIN hashes and wrong-PIN counters, the access log (who opened what
 * on this computer), session drafts, the message log itself. A test checks that every table shaped
 * like a clinical record (id + created/updated/deleted stamps) is listed here or in LOCAL_TABLES.
 */
export const SYNCED_TABLES = [
  'practitioners',
  'clients',
  'courses',
  'sessions',
  'adverse_events',
  'photos',
  'session_signatures',
  'session_addenda',
  'course_consents',
  'consent_overrides',
  'sync_rooms',
  'settings',
  'audit_log',
] as const;
type SyncedTable = (typeof SYNCED_TABLES)[number];

export const LOCAL_TABLES = ['practitioner_pins', 'pin_attempts', 'access_log', 'session_drafts'] as const;

/** Settings that describe this machine, not the clinic. */
export const LOCAL_SETTINGS = new Set(['currentPractitionerId', 'locale']);

/** Audit entity names → table, where the name is not simply the table's singular. */
const TABLE_OF_ENTITY: Record<string, SyncedTable> = {
  settings: 'settings',
  audit: 'audit_log',
  session_addendum: 'session_addenda',
};

/**
 * Signed records (signatures, addenda, signed consent, consent overrides): written once, never
 * changed (triggers refuse it). They merge as inserts: a row lands when all of its fields have
 * arrived, and a later message that would change a landed row is refused, never applied.
 */
const APPEND_ONLY = new Set<SyncedTable>([
  'session_signatures',
  'session_addenda',
  'course_consents',
  'consent_overrides',
]);

/**
 * A row whose creation re-asserts another row as it is at that moment: a signature re-logs every
 * field of the session it signs with the signature's own timestamp, so an edit made in another
 * room before the signature (older by its clock, unseen by the signer) loses to the signed record
 * in every room, as last-writer-wins decides everywhere alike.
 */
export const REASSERTS: Partial<Record<SyncedTable, { table: SyncedTable; column: string }>> = {
  session_signatures: { table: 'sessions', column: 'session_id' },
};

/** Columns computed from others: recomputed where a row lands, never synced. */
const DERIVED: Partial<Record<SyncedTable, Record<string, (row: Record<string, unknown>) => unknown>>> = {
  clients: { sort_name: (r) => foldForSort(`${String(r.last_name ?? '')} ${String(r.first_name ?? '')}`) },
};

/** Rows owned by one parent row, travelling as one JSON field of it (a session's zones: depth and passes, every column of the table). */
interface Children {
  table: string;
  parentColumn: string;
  field: string;
}
const CHILDREN: Partial<Record<SyncedTable, Children>> = {
  sessions: { table: 'session_zones', parentColumn: 'session_id', field: 'zones' },
};

/**
 * Every table a snapshot of the clinic carries, parents first (the order rows can be inserted in
 * with foreign keys on): the synced tables, each followed by the tables of its children.
 */
export const SNAPSHOT_TABLES: readonly string[] = SYNCED_TABLES.flatMap((t) => {
  const child = CHILDREN[t];
  return child ? [t, child.table] : [t];
});

export interface Dataset {
  table: SyncedTable;
  key: string;
  /** The synced columns, from this database's own schema (so columns added later travel too). */
  columns: string[];
  derived: Record<string, (row: Record<string, unknown>) => unknown>;
  children: (Children & { columns: string[] }) | null;
  /** Written once, never changed: merges as an insert (see APPEND_ONLY). */
  appendOnly: boolean;
}

const cache = new WeakMap<Db, Map<string, Dataset | null>>();

function columnsOf(db: Db, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
}

function isSyncedTable(name: string): name is SyncedTable {
  return (SYNCED_TABLES as readonly string[]).includes(name);
}

/** The dataset for a table name from a message, or null when this room does not sync such a table. */
export function datasetOf(db: Db, table: string): Dataset | null {
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  if (perDb.has(table)) return perDb.get(table) ?? null;
  let ds: Dataset | null = null;
  if (isSyncedTable(table)) {
    const key = table === 'settings' ? 'key' : 'id';
    const derived = DERIVED[table] ?? {};
    const columns = columnsOf(db, table).filter((c) => c !== key && !(c in derived));
    const child = CHILDREN[table];
    ds = {
      table,
      key,
      columns,
      derived,
      children: child
        ? { ...child, columns: columnsOf(db, child.table).filter((c) => c !== child.parentColumn) }
        : null,
      appendOnly: APPEND_ONLY.has(table),
    };
  }
  perDb.set(table, ds);
  return ds;
}

/** The dataset an audited entity ('client', 'adverse_event', 'settings') is stored in. */
export function datasetOfEntity(db: Db, entity: string): Dataset | null {
  return datasetOf(db, TABLE_OF_ENTITY[entity] ?? `${entity}s`);
}
