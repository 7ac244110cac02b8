import {
  deserializeClock,
  makeClientId,
  merkle,
  serializeClock,
  setClock,
  Timestamp,
  type Clock,
} from '@actual-app/crdt';
import type { Db } from '../connection.js';

export type TrieNode = Clock['merkle'];
import { stmt } from '../statements.js';

/** How far ahead of this computer's clock a remote change may be dated: the package's own limit. */
export const MAX_DRIFT_MS = 5 * 60_000;

/** A remote change dated too far ahead of this computer's clock: refused, never merged. */
class ClockDriftError extends Error {
  constructor(
    readonly aheadMs: number,
    readonly node: string,
  ) {
    const minutes = Math.max(1, Math.round(aheadMs / 60_000));
    super(
      `A change from another room is dated ${minutes} minute${minutes === 1 ? '' : 's'} ahead of this ` +
        `computer's clock (the limit is ${MAX_DRIFT_MS / 60_000} minutes). Set both computers to the right time ` +
        '(automatic time), then sync again. None of the changes in that batch were merged.',
    );
    this.name = 'ClockDriftError';
  }
}

/**
 * The clock is read from the database at the start of every write and saved at its end, inside the
 * caller's transaction: a rolled-back write leaves neither a timestamp nor a Merkle entry behind.
 * The package keeps one global clock; each use sets ours first (all of this is synchronous).
 */
export function loadClock(db: Db): Clock {
  const row = stmt(db, `SELECT clock FROM messages_clock WHERE id = 1`).get() as
    { clock: string } | undefined;
  if (row) return deserializeClock(row.clock);
  // A database restored from before the clock row existed: start one.
  return deserializeClock(
    JSON.stringify({ timestamp: `1970-01-01T00:00:00.000Z-0000-${newNode()}`, merkle: {} }),
  );
}

export function saveClock(db: Db, clock: Clock): void {
  clock.merkle = merkle.prune(clock.merkle);
  stmt(
    db,
    `INSERT INTO messages_clock (id, clock) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET clock = excluded.clock`,
  ).run(serializeClock(clock));
}

export function newNode(): string {
  return makeClientId().toUpperCase();
}

/** This machine's node id: the last part of every timestamp it makes. */
export function nodeOf(db: Db): string {
  // Every audit row names its origin: read the timestamp alone, not the whole Merkle trie.
  const row = stmt(
    db,
    `SELECT CASE WHEN json_valid(clock) THEN json_extract(clock, '$.timestamp') END AS ts
     FROM messages_clock WHERE id = 1`,
  ).get() as { ts: string | null } | undefined;
  const ts = row?.ts ? Timestamp.parse(row.ts) : null;
  return ts ? ts.node() : loadClock(db).timestamp.node();
}

/**
 * The next local timestamp. A local save never fails for the clock's sake: when this computer's
 * time went back by more than the drift limit (someone corrected it), the hybrid clock keeps
 * counting from its last value instead of refusing the write.
 */
export function sendTimestamp(clock: Clock): Timestamp {
  setClock(clock);
  try {
    const ts = Timestamp.send();
    if (ts) return ts;
  } catch (err) {
    if (!(err instanceof Error) || err.name !== 'ClockDriftError') throw err;
  }
  return advance(clock, clock.timestamp);
}

/** The hybrid clock's step without the package's drift check: after the later of `seen` and ours. */
function advance(clock: Clock, seen: Timestamp): Timestamp {
  const t = clock.timestamp;
  const millis = Math.max(t.millis(), seen.millis());
  const counter =
    Math.max(millis === t.millis() ? t.counter() : -1, millis === seen.millis() ? seen.counter() : -1) + 1;
  const next =
    counter <= 0xffff ? new Timestamp(millis, counter, t.node()) : new Timestamp(millis + 1, 0, t.node());
  t.setMillis(next.millis());
  t.setCounter(next.counter());
  return next;
}

/** Folds a remote timestamp into our clock; refuses one dated beyond the drift limit. */
export function receiveTimestamp(clock: Clock, ts: Timestamp): void {
  const ahead = ts.millis() - Date.now();
  if (ahead > MAX_DRIFT_MS) throw new ClockDriftError(ahead, ts.node());
  setClock(clock);
  try {
    Timestamp.recv(ts);
  } catch (err) {
    // Our own clock ran ahead (this computer's time was set back): keep counting from it.
    if (!(err instanceof Error) || err.name !== 'ClockDriftError') throw err;
    advance(clock, ts);
  }
}

/**
 * Adds a timestamp to the clock's Merkle trie: the package's `merkle.insert`, in place. Same trie
 * (every node on the path of the timestamp's minute, base 3, XORs in its hash; a test holds the two
 * equal), without copying the path at each step: a session save adds some forty timestamps.
 */
export function addToTrie(trie: TrieNode, ts: Timestamp): void {
  const hash = ts.hash();
  const key = Math.floor(ts.millis() / 60_000).toString(3);
  let node = trie;
  node.hash = (node.hash ?? 0) ^ hash;
  for (const c of key as Iterable<'0' | '1' | '2'>) {
    node = node[c] ??= {};
    node.hash = (node.hash ?? 0) ^ hash;
  }
}

export function parseTimestamp(text: string): Timestamp {
  const ts = Timestamp.parse(text);
  if (!ts) throw new Error(`Not a sync timestamp: ${text.slice(0, 60)}`);
  return ts;
}
