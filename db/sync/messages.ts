import type { Clock } from '@actual-app/crdt';
import type { Db } from '../connection.js';
import { stmt } from '../statements.js';
import {
  LOCAL_SETTINGS,
  REASSERTS,
  SYNCED_TABLES,
  datasetOf,
  datasetOfEntity,
  type Dataset,
} from './datasets.js';
import { addToTrie, loadClock, parseTimestamp, receiveTimestamp, saveClock, sendTimestamp } from './clock.js';

/** One field change: what travels between rooms (encrypted) and what the log keeps. */
export interface SyncMessage {
  timestamp: string;
  dataset: string;
  rowId: string;
  col: string;
  /** The column's value as JSON text. */
  value: string;
}

type Row = Record<string, unknown>;

/**
 * A column's value as message JSON. BLOBs (a photo's own file key) travel as {"$bytes": base64}:
 * JSON has no bytes, and a Buffer's default JSON would come back as an object SQLite cannot bind.
 */
function encodeValue(value: unknown): string {
  return JSON.stringify(Buffer.isBuffer(value) ? { $bytes: value.toString('base64') } : (value ?? null));
}

function decodeValue(json: string): unknown {
  const value = JSON.parse(json) as unknown;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const bytes = (value as { $bytes?: unknown }).$bytes;
    if (typeof bytes === 'string' && Object.keys(value).length === 1) return Buffer.from(bytes, 'base64');
  }
  return value;
}

/** The field values of one row as they are stored now, each as JSON text (children as one field). */
function currentFields(db: Db, ds: Dataset, rowId: string): Map<string, string> | null {
  const row = stmt(db, `SELECT * FROM ${ds.table} WHERE ${ds.key} = ?`).get(rowId) as Row | undefined;
  if (!row) return null;
  const fields = new Map(ds.columns.map((c) => [c, encodeValue(row[c])]));
  if (ds.children) {
    const { table, parentColumn, field, columns } = ds.children;
    const rows = stmt(db, `SELECT * FROM ${table} WHERE ${parentColumn} = ? ORDER BY position`).all(
      rowId,
    ) as Row[];
    // A null column is left out of the text (and read back as null), so a column added by a later
    // migration (a zone's passes, 0014) does not change the text of rows logged before it: an edit
    // of something else must not re-log the zones with a fresh timestamp and win over another
    // room's correction of a depth.
    fields.set(
      field,
      JSON.stringify(
        rows.map((r) => Object.fromEntries(columns.flatMap((c) => (r[c] == null ? [] : [[c, r[c]]])))),
      ),
    );
  }
  return fields;
}

/** The winning (latest) logged value of every field of one row. */
function loggedFields(db: Db, dataset: string, rowId: string): Map<string, string> {
  // SQLite gives the bare columns of the row holding max(timestamp) in each group.
  const rows = stmt(
    db,
    `SELECT col, value, max(timestamp) AS ts FROM messages WHERE dataset = ? AND row_id = ? GROUP BY col`,
  ).all(dataset, rowId) as { col: string; value: string }[];
  return new Map(rows.map((r) => [r.col, r.value]));
}

function insertMessage(db: Db, m: SyncMessage): boolean {
  return (
    stmt(
      db,
      `INSERT OR IGNORE INTO messages (timestamp, dataset, row_id, col, value) VALUES (?, ?, ?, ?, ?)`,
    ).run(m.timestamp, m.dataset, m.rowId, m.col, m.value).changes === 1
  );
}

/**
 * Logs, with fresh timestamps, every field of the row that differs from what the log says; with
 * `all`, every field (a re-assertion of the row as it stands, see REASSERTS).
 */
function recordRow(db: Db, clock: Clock, ds: Dataset, rowId: string, all = false): number {
  const now = currentFields(db, ds, rowId);
  if (!now) return 0;
  const logged = all ? new Map<string, string>() : loggedFields(db, ds.table, rowId);
  let n = 0;
  for (const [col, value] of now) {
    if (logged.get(col) === value) continue;
    const ts = sendTimestamp(clock);
    insertMessage(db, { timestamp: ts.toString(), dataset: ds.table, rowId, col, value });
    addToTrie(clock.merkle, ts);
    n += 1;
  }
  return n;
}

function rowIdsFor(db: Db, ds: Dataset, entityId: string): string[] {
  if (ds.table !== 'settings') return [entityId];
  // Settings are audited as one record; they travel one row (key) at a time.
  const keys = stmt(db, `SELECT key FROM settings ORDER BY key`).all() as { key: string }[];
  return keys.map((k) => k.key).filter((k) => !LOCAL_SETTINGS.has(k));
}

/**
 * Records the change of audited records (entity + id, as the audit names it) as one message per
 * changed field. Runs inside the write's own transaction, so the record, its audit row and its
 * messages land together or not at all. Entities that do not travel record nothing.
 */
export function recordChanges(db: Db, records: readonly (readonly [entity: string, id: string])[]): number {
  const clock = loadClock(db);
  let n = 0;
  for (const [entity, entityId] of records) {
    const ds = datasetOfEntity(db, entity);
    if (!ds) continue;
    for (const rowId of rowIdsFor(db, ds, entityId)) {
      const logged = recordRow(db, clock, ds, rowId);
      n += logged;
      const reasserts = REASSERTS[ds.table];
      if (reasserts && logged > 0) {
        const parent = stmt(db, `SELECT ${reasserts.column} AS id FROM ${ds.table} WHERE ${ds.key} = ?`).get(
          rowId,
        ) as { id: string } | undefined;
        if (parent) n += recordRow(db, clock, datasetOf(db, reasserts.table) as Dataset, parent.id, true);
      }
    }
  }
  if (n > 0) saveClock(db, clock);
  return n;
}

/**
 * Gives every row that has never been logged (a clinic from before sync, a bundle import of old
 * data) its messages, so a first sync carries the whole clinic. Returns the number of messages.
 */
export function recordUnlogged(db: Db): number {
  return db.transaction(() => {
    const clock = loadClock(db);
    let n = 0;
    for (const table of SYNCED_TABLES) {
      const ds = datasetOf(db, table) as Dataset;
      const ids = stmt(
        db,
        `SELECT ${ds.key} AS id FROM ${table} t WHERE NOT EXISTS
           (SELECT 1 FROM messages m WHERE m.dataset = ? AND m.row_id = t.${ds.key})`,
      ).all(table) as { id: string }[];
      for (const { id } of ids) {
        if (table === 'settings' && LOCAL_SETTINGS.has(id)) continue;
        n += recordRow(db, clock, ds, id);
      }
    }
    if (n > 0) saveClock(db, clock);
    return n;
  })();
}

/** Logged messages after `since` (a timestamp string), oldest first, at most `limit`. */
export function messagesSince(db: Db, since: string, limit = -1): SyncMessage[] {
  return stmt(
    db,
    `SELECT timestamp, dataset, row_id AS rowId, col, value FROM messages WHERE timestamp > ? ORDER BY timestamp LIMIT ?`,
  ).all(since, limit) as SyncMessage[];
}

interface ApplyReport {
  /** Messages this room did not have yet. */
  added: number;
  /** Rows whose stored fields changed. */
  rowsChanged: number;
  /** Rows still waiting for what they need (their parent, or fields yet to arrive). */
  pending: number;
  /** Signed records (append-only) that remote messages would have changed: left as they are. */
  refused: number;
}

/**
 * Writes the winning value of every field of a row into its table: an update of the fields that
 * differ, or the insert of a row that is new here. 'waiting' when the row cannot land yet (its
 * parent has not arrived, or a required field is still missing): it stays pending and is tried again.
 */
function materialize(db: Db, ds: Dataset, rowId: string): 'changed' | 'same' | 'waiting' | 'refused' {
  const winners = loggedFields(db, ds.table, rowId);
  const stored = currentFields(db, ds, rowId);
  const values: Row = {};
  const changed: string[] = [];
  for (const col of ds.columns) {
    const won = winners.get(col);
    if (won === undefined) continue;
    values[col] = decodeValue(won);
    if (!stored || stored.get(col) !== won) changed.push(col);
  }
  const childField = ds.children ? winners.get(ds.children.field) : undefined;
  const childrenChanged =
    childField !== undefined && (!stored || stored.get(ds.children!.field) !== childField);
  if (stored && changed.length === 0 && !childrenChanged) return 'same';
  if (ds.appendOnly) {
    // A signed record is never rewritten (its triggers would refuse it anyway), and it lands whole.
    if (stored) return 'refused';
    if (ds.columns.some((c) => !winners.has(c))) return 'waiting';
  }
  const full = { ...(stored ? rowOf(db, ds, rowId) : {}), ...values };
  for (const [col, derive] of Object.entries(ds.derived)) values[col] = derive(full);
  const cols = Object.keys(values);
  const write = () => {
    if (stored) {
      if (cols.length > 0) {
        stmt(
          db,
          `UPDATE ${ds.table} SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE ${ds.key} = @_key`,
        ).run({
          ...values,
          _key: rowId,
        });
      }
    } else {
      stmt(
        db,
        `INSERT INTO ${ds.table} (${ds.key}, ${cols.join(', ')}) VALUES (@_key, ${cols.map((c) => `@${c}`).join(', ')})`,
      ).run({ ...values, _key: rowId });
    }
    if (childrenChanged) writeChildren(db, ds, rowId, JSON.parse(childField) as Row[]);
  };
  try {
    // One statement is atomic on its own; a row with its children lands whole or waits whole.
    if (childrenChanged) db.transaction(write)();
    else write();
  } catch (err) {
    if (err instanceof Error && 'code' in err && String(err.code).startsWith('SQLITE_CONSTRAINT'))
      return 'waiting';
    throw err;
  }
  return 'changed';
}

function rowOf(db: Db, ds: Dataset, rowId: string): Row {
  return stmt(db, `SELECT * FROM ${ds.table} WHERE ${ds.key} = ?`).get(rowId) as Row;
}

function writeChildren(db: Db, ds: Dataset, rowId: string, rows: Row[]): void {
  const { table, parentColumn, columns } = ds.children!;
  stmt(db, `DELETE FROM ${table} WHERE ${parentColumn} = ?`).run(rowId);
  const insert = stmt(
    db,
    `INSERT INTO ${table} (${parentColumn}, ${columns.join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`,
  );
  for (const r of rows) insert.run(rowId, ...columns.map((c) => r[c] ?? null));
}

/**
 * Applies messages from other rooms in one transaction: each is added to the log and the Merkle
 * trie (once: a message already here is skipped), and every row they touch takes, field by field,
 * the value with the latest timestamp. Deletes are soft (deleted_at is a field like any other), so
 * they merge too; derived columns are recomputed where the row lands. A message dated beyond the
 * clock drift limit refuses the whole batch before anything is written.
 */
export function applyMessages(db: Db, incoming: readonly SyncMessage[]): ApplyReport {
  return db
    .transaction((): ApplyReport => {
      const clock = loadClock(db);
      const sorted = [...incoming].sort((a, b) =>
        a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0,
      );
      const stamps = sorted.map((m) => parseTimestamp(m.timestamp));
      for (const ts of stamps) receiveTimestamp(clock, ts);
      const touched = new Map<string, Set<string>>();
      let added = 0;
      sorted.forEach((m, i) => {
        if (!insertMessage(db, m)) return;
        added += 1;
        addToTrie(clock.merkle, stamps[i]!);
        if (!touched.has(m.dataset)) touched.set(m.dataset, new Set());
        touched.get(m.dataset)!.add(m.rowId);
      });
      const waiting = stmt(db, `SELECT dataset, row_id AS rowId FROM messages_pending`).all() as {
        dataset: string;
        rowId: string;
      }[];
      for (const w of waiting) {
        if (!touched.has(w.dataset)) touched.set(w.dataset, new Set());
        touched.get(w.dataset)!.add(w.rowId);
      }
      // Rows land parents first; a row whose parent is still missing waits for the next pass.
      let todo: [Dataset, string][] = [];
      for (const table of SYNCED_TABLES) {
        const ds = datasetOf(db, table) as Dataset;
        for (const rowId of touched.get(table) ?? []) {
          if (table === 'settings' && LOCAL_SETTINGS.has(rowId)) continue;
          todo.push([ds, rowId]);
        }
      }
      let rowsChanged = 0;
      let refused = 0;
      for (;;) {
        const next: [Dataset, string][] = [];
        for (const [ds, rowId] of todo) {
          const result = materialize(db, ds, rowId);
          if (result === 'waiting') next.push([ds, rowId]);
          else if (result === 'changed') rowsChanged += 1;
          else if (result === 'refused') refused += 1;
        }
        if (next.length === 0 || next.length === todo.length) {
          todo = next;
          break;
        }
        todo = next;
      }
      stmt(db, `DELETE FROM messages_pending`).run();
      const pend = stmt(db, `INSERT INTO messages_pending (dataset, row_id) VALUES (?, ?)`);
      for (const [ds, rowId] of todo) pend.run(ds.table, rowId);
      saveClock(db, clock);
      return { added, rowsChanged, pending: todo.length, refused };
    })
    .immediate();
}

/** The root hash of this room's Merkle trie of message times: equal in rooms holding the same messages. */
export function merkleHash(db: Db): number {
  return loadClock(db).merkle.hash ?? 0;
}

/** How many messages are logged after `since` (a timestamp; '' for all of them). */
export function countMessagesAfter(db: Db, since: string): number {
  return (stmt(db, `SELECT count(*) AS n FROM messages WHERE timestamp > ?`).get(since) as { n: number }).n;
}

/** As countMessagesAfter, counting no further than `limit` (cheap on a large log). */
export function countMessagesAfterAtMost(db: Db, since: string, limit: number): number {
  return (
    stmt(db, `SELECT count(*) AS n FROM (SELECT 1 FROM messages WHERE timestamp > ? LIMIT ?)`).get(
      since,
      limit,
    ) as {
      n: number;
    }
  ).n;
}
