import type { Db } from '../connection.js';
import { stmt } from '../statements.js';
import { addToTrie, loadClock, parseTimestamp, receiveTimestamp, saveClock, type TrieNode } from './clock.js';
import { LOCAL_SETTINGS, SNAPSHOT_TABLES, SYNCED_TABLES, datasetOf, type Dataset } from './datasets.js';
import { readSyncState, writeSyncState } from './state.js';

/*
 * A snapshot of the clinic, for a new room's first sync (as Actual Budget gives a new device the
 * whole budget file, then the messages since): the synced tables, the message log and the rows
 * still waiting for a parent, in a database file of their own, encrypted (SQLCipher) under a key
 * the caller derives from the clinic's sync key. It is a purpose-built copy, not the clinic file:
 * nothing about one machine (PINs, the access log, drafts, the room's credential and relay
 * settings, its local settings) is ever in it.
 */

/** Bumped when what a snapshot holds changes shape. */
const SNAPSHOT_FORMAT = 1;
const ATTACHED = 'snapshot';
/** The page cache while a snapshot loads (negative: KiB), then the connection's own again. */
const LOAD_CACHE_KIB = -128 * 1024;

export interface SnapshotInfo {
  /** The latest message time the snapshot holds: a room loading it asks the relay for what came after. */
  time: string;
  messages: number;
  /** The clinic schema version it was made under: only a room on the same version loads it. */
  schema: number;
}

/** A snapshot this room cannot use (another app version, another format): the room replays instead. */
export class SnapshotUnusableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotUnusableError';
  }
  static because(reason: string): SnapshotUnusableError {
    return new SnapshotUnusableError(
      `The clinic snapshot at the relay cannot be used here (${reason}); this room fetches every change instead.`,
    );
  }
}

/** Loading a snapshot into a room that holds records of its own would overwrite them: never done. */
export class RoomNotEmptyError extends Error {
  constructor() {
    super(
      'This room already holds records or has synced before: a clinic snapshot is only for an empty room.',
    );
    this.name = 'RoomNotEmptyError';
  }
}

function columnsOf(db: Db, table: string, schema = 'main'): string[] {
  return (db.pragma(`${schema}.table_info(${table})`) as { name: string }[]).map((c) => c.name);
}

function attach(db: Db, file: string, fileKey: Buffer): void {
  // A raw 256-bit key (SQLCipher's x'…' form): no passphrase KDF, the key is random already.
  db.prepare(`ATTACH DATABASE ? AS ${ATTACHED} KEY ?`).run(file, `x'${fileKey.toString('hex')}'`);
}

function detach(db: Db): void {
  db.prepare(`DETACH DATABASE ${ATTACHED}`).run();
}

const localSettings = () => JSON.stringify([...LOCAL_SETTINGS]);

/**
 * Writes a snapshot of this room into `file` (which must not exist), under `fileKey`. One read
 * transaction: every table is copied as of one moment, so rows, log and times agree.
 */
export function writeSnapshot(db: Db, file: string, fileKey: Buffer): SnapshotInfo {
  attach(db, file, fileKey);
  try {
    // A scratch file, sealed and sent, then deleted: a crash part-way leaves nothing to keep.
    db.pragma(`${ATTACHED}.journal_mode = OFF`);
    db.pragma(`${ATTACHED}.synchronous = OFF`);
    return db.transaction((): SnapshotInfo => {
      for (const table of SNAPSHOT_TABLES) {
        const cols = columnsOf(db, table).join(', ');
        const where = table === 'settings' ? ` WHERE key NOT IN (SELECT value FROM json_each(?))` : '';
        const copy = db.prepare(
          `CREATE TABLE ${ATTACHED}.${table} AS SELECT ${cols} FROM main.${table}${where}`,
        );
        if (where) copy.run(localSettings());
        else copy.run();
      }
      // In timestamp order, so the room loading it appends to its log's key instead of scattering.
      db.prepare(
        `CREATE TABLE ${ATTACHED}.messages AS
         SELECT timestamp, dataset, row_id, col, value FROM main.messages ORDER BY timestamp`,
      ).run();
      db.prepare(
        `CREATE TABLE ${ATTACHED}.messages_pending AS SELECT dataset, row_id FROM main.messages_pending`,
      ).run();
      const { time, messages } = stmt(
        db,
        `SELECT coalesce(max(timestamp), '') AS time, count(*) AS messages FROM main.messages`,
      ).get() as { time: string; messages: number };
      const schema = db.pragma('main.user_version', { simple: true }) as number;
      db.prepare(`CREATE TABLE ${ATTACHED}.snapshot_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`).run();
      const meta = db.prepare(`INSERT INTO ${ATTACHED}.snapshot_meta (key, value) VALUES (?, ?)`);
      meta.run('format', String(SNAPSHOT_FORMAT));
      meta.run('schema', String(schema));
      meta.run('time', time);
      meta.run('messages', String(messages));
      // The trie of the log, as of the same moment: rebuilding it from millions of times (a hash
      // each) would cost the new room more than the rest of the load.
      meta.run('merkle', JSON.stringify(loadClock(db).merkle));
      return { time, messages, schema };
    })();
  } finally {
    detach(db);
  }
}

/**
 * A room that may take a snapshot: it has never completed a sync round, and it holds no record
 * and no message except its own room's row (which pairing logs).
 */
export function isEmptyRoom(db: Db): boolean {
  if (readSyncState(db).lastSynced) return false;
  if (stmt(db, `SELECT EXISTS (SELECT 1 FROM messages WHERE dataset <> 'sync_rooms')`).pluck().get())
    return false;
  const node = loadClock(db).timestamp.node();
  for (const table of SYNCED_TABLES) {
    const sql =
      table === 'sync_rooms'
        ? `SELECT EXISTS (SELECT 1 FROM sync_rooms WHERE id <> ?) AS x`
        : table === 'settings'
          ? `SELECT EXISTS (SELECT 1 FROM settings WHERE key NOT IN (SELECT value FROM json_each(?))) AS x`
          : `SELECT EXISTS (SELECT 1 FROM ${table}) AS x`;
    const args = table === 'sync_rooms' ? [node] : table === 'settings' ? [localSettings()] : [];
    if ((stmt(db, sql).get(...args) as { x: number }).x) return false;
  }
  return true;
}

function readMeta(db: Db): Map<string, string> {
  try {
    const rows = db.prepare(`SELECT key, value FROM ${ATTACHED}.snapshot_meta`).all() as {
      key: string;
      value: string;
    }[];
    return new Map(rows.map((r) => [r.key, r.value]));
  } catch {
    throw SnapshotUnusableError.because('it holds no description of itself');
  }
}

/** Recomputes derived columns (a client's sort name) where they differ: never taken on trust. */
function recomputeDerived(db: Db, ds: Dataset): void {
  const derived = Object.entries(ds.derived);
  if (derived.length === 0) return;
  const rows = stmt(db, `SELECT * FROM ${ds.table}`).all() as Record<string, unknown>[];
  for (const row of rows) {
    for (const [col, derive] of derived) {
      const value = derive(row);
      if (value !== row[col])
        stmt(db, `UPDATE ${ds.table} SET ${col} = ? WHERE ${ds.key} = ?`).run(value, row[ds.key]);
    }
  }
}

export interface LoadedSnapshot extends SnapshotInfo {
  rows: number;
  /** Where the load's time went (ms): the record tables, the log, its index. For the bench. */
  phasesMs: { rows: number; messages: number; index: number };
}

/**
 * Brings a snapshot (`file`, under `fileKey`) into this empty room, in one transaction: every
 * synced table by bulk copy, parents first (their triggers keep the derived tables: course
 * figures, the name search), the message log, the rows still waiting. The Merkle trie is the
 * snapshot's (of the same log) with this room's own messages added, and the clock moves past the
 * snapshot's latest time; this room keeps its own
 * clock node, its own room row, and everything about this machine. Its sync cursor becomes the
 * snapshot's time, so the next round asks the relay only for what came after.
 */
export function loadSnapshot(db: Db, file: string, fileKey: Buffer): LoadedSnapshot {
  if (!isEmptyRoom(db)) throw new RoomNotEmptyError();
  attach(db, file, fileKey);
  try {
    const meta = readMeta(db);
    if (meta.get('format') !== String(SNAPSHOT_FORMAT)) throw SnapshotUnusableError.because('another format');
    const schema = Number(meta.get('schema'));
    const ours = db.pragma('main.user_version', { simple: true }) as number;
    if (schema !== ours)
      throw SnapshotUnusableError.because(
        schema > ours
          ? 'it was made by a newer NeedleLog: update this room'
          : 'it was made by an older NeedleLog',
      );
    const time = meta.get('time') ?? '';
    // A page cache large enough for the log's index to be built without re-reading what it spilled.
    const cache = db.pragma('cache_size', { simple: true }) as number;
    db.pragma(`cache_size = ${LOAD_CACHE_KIB}`);
    try {
      return db
        .transaction((): LoadedSnapshot => {
          if (!isEmptyRoom(db)) throw new RoomNotEmptyError();
          const clock = loadClock(db);
          // This room's own messages (its room row, which pairing logs) that the snapshot's log does
          // not hold already: one a first round sent before failing may be in it, and the trie is an
          // XOR, so adding it twice would take it out again and the rooms would never agree.
          const own = db
            .prepare(
              `SELECT timestamp FROM main.messages WHERE timestamp NOT IN
                 (SELECT timestamp FROM ${ATTACHED}.messages WHERE timestamp IN
                   (SELECT timestamp FROM main.messages))`,
            )
            .pluck()
            .all() as string[];
          let rows = 0;
          const t0 = performance.now();
          for (const table of SNAPSHOT_TABLES) {
            const cols = columnsOf(db, table);
            const theirs = new Set(columnsOf(db, table, ATTACHED));
            if (cols.some((c) => !theirs.has(c))) throw SnapshotUnusableError.because(`its ${table} differ`);
            const list = cols.join(', ');
            // This room's own row is kept (a snapshot never holds it); local settings never travel.
            const verb = table === 'sync_rooms' ? 'INSERT OR IGNORE' : 'INSERT';
            const where = table === 'settings' ? ` WHERE key NOT IN (SELECT value FROM json_each(?))` : '';
            const copy = db.prepare(
              `${verb} INTO main.${table} (${list}) SELECT ${list} FROM ${ATTACHED}.${table}${where}`,
            );
            rows += (where ? copy.run(localSettings()) : copy.run()).changes;
            const ds = datasetOf(db, table);
            if (ds) recomputeDerived(db, ds);
          }
          // The log's secondary index is built once after the copy (a sort) rather than row by row.
          const indexes = stmt(
            db,
            `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL`,
          ).all() as { name: string; sql: string }[];
          for (const index of indexes) db.prepare(`DROP INDEX main.${index.name}`).run();
          const t1 = performance.now();
          const messages = db
            .prepare(
              `INSERT OR IGNORE INTO main.messages (timestamp, dataset, row_id, col, value)
           SELECT timestamp, dataset, row_id, col, value FROM ${ATTACHED}.messages`,
            )
            .run().changes;
          const t2 = performance.now();
          for (const index of indexes) db.prepare(index.sql).run();
          const phasesMs = { rows: t1 - t0, messages: t2 - t1, index: performance.now() - t2 };
          db.prepare(
            `INSERT OR IGNORE INTO main.messages_pending (dataset, row_id) SELECT dataset, row_id FROM ${ATTACHED}.messages_pending`,
          ).run();
          // The trie of the snapshot's log (made with it, in one read), with this room's own messages added.
          clock.merkle = JSON.parse(meta.get('merkle') ?? '{}') as TrieNode;
          for (const ts of own) addToTrie(clock.merkle, parseTimestamp(ts));
          if (time) receiveTimestamp(clock, parseTimestamp(time));
          saveClock(db, clock);
          writeSyncState(db, { lastSynced: time || null });
          return { time, messages, schema, rows, phasesMs };
        })
        .immediate();
    } finally {
      db.pragma(`cache_size = ${cache}`);
    }
  } finally {
    detach(db);
  }
}
