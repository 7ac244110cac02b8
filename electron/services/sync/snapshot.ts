import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { databaseKey, deriveKey, type Db } from '../../../db/connection.js';
import { newId } from '../../../db/ids.js';
import { latestSnapshot, snapshotChunk, storeSnapshotChunk, type RelaySnapshot } from '../../../db/relay.js';
import { countMessagesAfterAtMost } from '../../../db/sync/messages.js';
import {
  RoomNotEmptyError,
  SnapshotUnusableError,
  type LoadedSnapshot,
  type SnapshotInfo,
} from '../../../db/sync/snapshot.js';
import { readSyncState, writeSyncState } from '../../../db/sync/state.js';
import { openBytes, sealBytes } from './envelope.js';

/*
 * A snapshot-based first sync, as Actual Budget gives a new device the whole budget file and then
 * the messages since. A fully synced room now and then seals a snapshot of the clinic (the synced
 * tables, the message log; db/sync/snapshot.ts) in chunks under the clinic's sync key and puts it
 * at the relay, which keeps the newest one and learns of it nothing but its size and the latest
 * message time it holds. An empty room fetches it, opens every chunk (one altered chunk refuses
 * the whole snapshot), loads it in one transaction, and a normal round then brings only what came
 * after: minutes instead of replaying millions of messages one by one.
 */

/** Bytes of the snapshot file per sealed chunk (one request each way, as raw bytes). */
const SNAPSHOT_CHUNK_BYTES = 8 * 1024 * 1024;
/** At most 8 GiB a snapshot (1024 chunks of 8 MiB): the relay holds two at most (MAX_SNAPSHOT_STORAGE_BYTES). */
const MAX_CHUNKS = 1024;

const SNAPSHOT_ID = z.uuid();
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-[0-9A-F]{4}-[0-9A-Fa-f]{16}$/;
/** What sealBytes adds to a chunk: its 12-byte nonce and 16-byte tag. */
const SEAL_OVERHEAD = 28;
/** The largest sealed chunk (the client refuses a larger answer unread), and a latest answer. */
export const MAX_SEALED_CHUNK = SNAPSHOT_CHUNK_BYTES + SEAL_OVERHEAD;
export const MAX_LATEST_ANSWER = 4096;

/** A snapshot's description, as the relay announces it (JSON) and as an upload declares it (text). */
const snapshotHeader = (number: () => z.ZodNumber | z.ZodCoercedNumber) => ({
  id: SNAPSHOT_ID,
  time: z.string().regex(TIMESTAMP),
  chunks: number().int().min(1).max(MAX_CHUNKS),
  bytes: number()
    .int()
    .min(1)
    .max(MAX_CHUNKS * SNAPSHOT_CHUNK_BYTES),
});
const chunksFit = (s: { chunks: number; bytes: number }) =>
  s.chunks === Math.ceil(s.bytes / SNAPSHOT_CHUNK_BYTES);

/**
 * The relay's answer to "latest", checked before anything of it is used (its id names the scratch
 * file): a relay is trusted with nothing, a path least of all.
 */
const SnapshotLatestAnswer = z.object({
  snapshot: z
    .strictObject(snapshotHeader(() => z.number()))
    .refine(chunksFit, { message: 'chunk count does not fit the size' })
    .nullable(),
});

/** The relay's newest snapshot, or null; an answer that is not one is refused (the room replays). */
async function latestOf(link: SnapshotLink): Promise<RelaySnapshot | null> {
  const answer = SnapshotLatestAnswer.safeParse(await link.latest());
  if (!answer.success) throw SnapshotUnusableError.because('the relay described it wrongly');
  return answer.data.snapshot;
}

/** A chunk's description: the snapshot's header and its place (the query string of an upload). */
interface SnapshotChunkHeader extends RelaySnapshot {
  index: number;
}

/** An upload as the relay reads it: the query string's fields (text, hence coerced) and the raw bytes. */
const SnapshotPut = z
  .strictObject({
    ...snapshotHeader(() => z.coerce.number()),
    index: z.coerce
      .number()
      .int()
      .min(0)
      .max(MAX_CHUNKS - 1),
    sealed: z.instanceof(Buffer).refine((b) => b.length >= SEAL_OVERHEAD && b.length <= MAX_SEALED_CHUNK),
  })
  .refine((p) => p.index < p.chunks, { message: 'chunk index beyond the count' })
  .refine(chunksFit, { message: 'chunk count does not fit the size' })
  // Every chunk but the last is exactly a full chunk, sealed; the last holds the rest: so the
  // chunks add up to the declared size, and what the relay stores is what was declared.
  .refine((p) => p.sealed.length === sealedLength(p), { message: 'chunk of the wrong size' });

function sealedLength({ index, chunks, bytes }: { index: number; chunks: number; bytes: number }): number {
  return (
    (index < chunks - 1 ? SNAPSHOT_CHUNK_BYTES : bytes - (chunks - 1) * SNAPSHOT_CHUNK_BYTES) + SEAL_OVERHEAD
  );
}

export function snapshotQuery(c: SnapshotChunkHeader): string {
  return new URLSearchParams({
    id: c.id,
    time: c.time,
    chunks: String(c.chunks),
    bytes: String(c.bytes),
    index: String(c.index),
  }).toString();
}

const SnapshotChunkRequest = z.strictObject({ id: SNAPSHOT_ID, index: z.number().int().min(0) });
type SnapshotChunkRequest = z.input<typeof SnapshotChunkRequest>;

const SnapshotLatestRequest = z.strictObject({});

export interface SnapshotLatestResponse {
  snapshot: RelaySnapshot | null;
}
export interface SnapshotPutResponse {
  complete: boolean;
}

/** How a room reaches the relay's snapshots (over TLS in the app, in-process in some tests). */
export interface SnapshotLink {
  latest(): Promise<SnapshotLatestResponse>;
  /** One sealed chunk, as bytes. */
  chunk(req: SnapshotChunkRequest): Promise<Buffer>;
  put(chunk: SnapshotChunkHeader, sealed: Buffer): Promise<SnapshotPutResponse>;
}

/** The relay could not answer a snapshot request: its sentence, with the HTTP status to send. */
export class SnapshotRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The relay's side, for a device already authenticated; input validated here, at the boundary. */
export const snapshotAnswers = {
  latest(db: Db, _deviceId: string, input: unknown): SnapshotLatestResponse {
    SnapshotLatestRequest.parse(input);
    return { snapshot: latestSnapshot(db) };
  },
  chunk(db: Db, _deviceId: string, input: unknown): Buffer {
    const { id, index } = SnapshotChunkRequest.parse(input);
    const sealed = snapshotChunk(db, id, index);
    if (!sealed)
      throw new SnapshotRequestError(
        404,
        'The relay no longer holds that snapshot: a newer one replaced it.',
      );
    return sealed;
  },
  put(db: Db, deviceId: string, input: unknown): SnapshotPutResponse {
    const { sealed, ...chunk } = SnapshotPut.parse(input);
    return {
      complete: storeSnapshotChunk(db, deviceId, { ...chunk, sealed }, new Date()),
    };
  },
};

/** A snapshot chunk failed its integrity check: the whole snapshot is refused. */
export class TamperedSnapshotError extends Error {
  constructor() {
    super(
      'The clinic snapshot at the relay failed its integrity check: it was altered, or sealed under another ' +
        "clinic's key. It was refused whole; this room fetches every change instead.",
    );
    this.name = 'TamperedSnapshotError';
  }
}

/**
 * Fetching, opening or loading the relay's snapshot failed, for whatever reason (altered, another
 * version, a constraint, a full disk, the worker stopping): the round reports it, remembers the
 * snapshot as refused and replays instead. `cause` is the failure itself.
 */
export class SnapshotLoadError extends Error {
  constructor(
    readonly snapshotId: string,
    cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      cause instanceof TamperedSnapshotError || cause instanceof SnapshotUnusableError
        ? why
        : `The clinic snapshot at the relay could not be loaded here (${why}); this room fetches every change instead.`,
      { cause },
    );
    this.name = 'SnapshotLoadError';
  }
}

/** Each chunk is bound to its snapshot, its place and the whole's size: none can be swapped, cut or reordered. */
const chunkAad = (s: RelaySnapshot, index: number) =>
  Buffer.from(`NeedleLog snapshot ${s.id} ${s.time} ${index}/${s.chunks} ${s.bytes}`, 'utf8');

/** The snapshot file's own SQLCipher key: it lies on disk only while being sealed or loaded. */
const fileKeyOf = (syncKey: Buffer) => deriveKey(syncKey, 'sync snapshot file');

/**
 * The key chunks are sealed under: derived from the sync key for this use alone, so a snapshot
 * chunk and a message envelope (sealed under the sync key itself) can never be taken for each other.
 */
export const chunkKeyOf = (syncKey: Buffer) => deriveKey(syncKey, 'sync snapshot chunks');

/** What a snapshot worker is asked (snapshotWorker.ts): the clinic file and keys, and the snapshot file. */
export interface SnapshotJob {
  op: 'write' | 'load';
  dbFile: string;
  dataKey: Uint8Array | null;
  file: string;
  fileKey: Uint8Array;
}
export type SnapshotJobReply =
  { ok: SnapshotInfo | LoadedSnapshot } | { error: { name: string; message: string } };

/** In the built app the worker is out/main/snapshotWorker.js; from sources, the .ts through tsx. */
function newWorker(): Worker {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new Worker(new URL('./snapshotWorkerFromSource.mjs', here))
    : new Worker(new URL('./snapshotWorker.js', import.meta.url));
}

/** A worker's refusal as the error the round tells apart; any other keeps its sentence and name. */
function workerError({ name, message }: { name: string; message: string }): Error {
  if (name === 'SnapshotUnusableError') return new SnapshotUnusableError(message);
  if (name === 'RoomNotEmptyError') return new RoomNotEmptyError();
  return Object.assign(new Error(message), { name });
}

/**
 * Runs one snapshot job in a worker thread of its own, over its own connection to the clinic file:
 * the thread serving the window goes on while a large clinic's snapshot is written or loaded.
 */
function inWorker<T extends SnapshotInfo>(
  db: Db,
  op: SnapshotJob['op'],
  file: string,
  syncKey: Buffer,
): Promise<T> {
  const job: SnapshotJob = {
    op,
    dbFile: db.name,
    dataKey: databaseKey(db),
    file,
    fileKey: fileKeyOf(syncKey),
  };
  const worker = newWorker();
  return new Promise<T>((resolve, reject) => {
    worker.once('message', (reply: SnapshotJobReply) => {
      if ('ok' in reply) resolve(reply.ok as T);
      else reject(workerError(reply.error));
      // It ends on its own once its checkpoint is done, keeping nothing alive meanwhile.
      worker.unref();
    });
    worker.once('error', reject);
    worker.once('exit', () => reject(new Error('The sync snapshot worker stopped before it answered.')));
    worker.postMessage(job);
  });
}

function scratchFile(db: Db, id: string): string {
  return path.join(path.dirname(db.name), `sync-snapshot-${id}.tmp`);
}

function removeScratch(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
}

/** Scratch files a crash left behind (encrypted, but of no use to anyone): removed before a new one. */
function removeStaleScratch(db: Db): void {
  const dir = path.dirname(db.name);
  for (const name of fs.readdirSync(dir))
    if (/^sync-snapshot-[0-9a-f-]{36}\.tmp(-journal|-wal|-shm)?$/.test(name))
      fs.rmSync(path.join(dir, name), { force: true });
}

/** A snapshot published: what it holds, its size, and how long writing and sending it took. */
export interface PublishedSnapshot extends SnapshotInfo {
  bytes: number;
  writeMs: number;
  sendMs: number;
}

/** A snapshot taken: what was loaded, and how long fetching (with opening) and loading took. */
export interface TakenSnapshot extends LoadedSnapshot {
  bytes: number;
  fetchMs: number;
  loadMs: number;
}

/** Writes, seals and uploads a snapshot of this room. */
export async function publishSnapshot(
  db: Db,
  syncKey: Buffer,
  link: SnapshotLink,
): Promise<PublishedSnapshot> {
  const id = newId();
  const file = scratchFile(db, id);
  removeStaleScratch(db);
  try {
    const started = performance.now();
    const info = await inWorker<SnapshotInfo>(db, 'write', file, syncKey);
    const written = performance.now();
    const bytes = fs.statSync(file).size;
    const header: RelaySnapshot = {
      id,
      time: info.time,
      chunks: Math.ceil(bytes / SNAPSHOT_CHUNK_BYTES),
      bytes,
    };
    const fd = await fs.promises.open(file, 'r');
    const chunkKey = chunkKeyOf(syncKey);
    try {
      const buf = Buffer.alloc(SNAPSHOT_CHUNK_BYTES);
      for (let index = 0; index < header.chunks; index++) {
        const { bytesRead } = await fd.read(buf, 0, SNAPSHOT_CHUNK_BYTES, index * SNAPSHOT_CHUNK_BYTES);
        const sealed = sealBytes(chunkKey, chunkAad(header, index), buf.subarray(0, bytesRead));
        await link.put({ ...header, index }, sealed);
      }
    } finally {
      await fd.close();
    }
    return { ...info, bytes, writeMs: written - started, sendMs: performance.now() - written };
  } finally {
    removeScratch(file);
  }
}

/**
 * Fetches the relay's newest snapshot, opens every chunk, then loads it into this (empty) room.
 * Null when the relay holds none. Any altered chunk refuses the whole before anything is loaded.
 */
export async function takeSnapshot(
  db: Db,
  syncKey: Buffer,
  link: SnapshotLink,
): Promise<TakenSnapshot | null> {
  const started = performance.now();
  const snapshot = await latestOf(link);
  if (!snapshot) return null;
  if (readSyncState(db).snapshotRefusedId === snapshot.id)
    throw new SnapshotLoadError(snapshot.id, new Error('it failed to load here before'));
  const file = scratchFile(db, snapshot.id);
  removeStaleScratch(db);
  try {
    return await fetchAndLoad(db, syncKey, link, snapshot, file, started);
  } catch (err) {
    throw new SnapshotLoadError(snapshot.id, err);
  } finally {
    removeScratch(file);
  }
}

/** Fetches and opens every chunk into `file`, then loads it in a worker. */
async function fetchAndLoad(
  db: Db,
  syncKey: Buffer,
  link: SnapshotLink,
  snapshot: RelaySnapshot,
  file: string,
  started: number,
): Promise<TakenSnapshot> {
  const fd = await fs.promises.open(file, 'wx', 0o600);
  const chunkKey = chunkKeyOf(syncKey);
  try {
    let written = 0;
    for (let index = 0; index < snapshot.chunks; index++) {
      const sealed = await link.chunk({ id: snapshot.id, index });
      let body: Buffer;
      try {
        body = openBytes(chunkKey, chunkAad(snapshot, index), sealed);
      } catch {
        throw new TamperedSnapshotError();
      }
      await fd.write(body, 0, body.length, written);
      written += body.length;
    }
    if (written !== snapshot.bytes) throw new TamperedSnapshotError();
  } finally {
    await fd.close();
  }
  const fetched = performance.now();
  const loaded = await inWorker<LoadedSnapshot>(db, 'load', file, syncKey);
  // This room now holds what the snapshot held: no need to publish one as old.
  writeSyncState(db, { snapshotTime: loaded.time, snapshotCheckedAt: new Date().toISOString() });
  return {
    ...loaded,
    bytes: snapshot.bytes,
    fetchMs: fetched - started,
    loadMs: performance.now() - fetched,
  };
}

/** When a room publishes: this many messages newer than the relay's snapshot, and … */
export const SNAPSHOT_AFTER_MESSAGES = 10_000;
/** … at most this often (a 121k-session clinic's snapshot is written in seconds, sealed and sent in more). */
export const SNAPSHOT_EVERY_MS = 6 * 3_600_000;

/**
 * After a round that left this room in step with the relay: publishes a snapshot when the relay's
 * newest (or none) lags this room's log by `after` messages or more, at most once per
 * SNAPSHOT_EVERY_MS. Cheap when there is nothing to do: one bounded count, no request.
 */
export async function maybePublishSnapshot(
  db: Db,
  syncKey: Buffer,
  link: SnapshotLink,
  after = SNAPSHOT_AFTER_MESSAGES,
  now = new Date(),
): Promise<PublishedSnapshot | null> {
  if (!Number.isFinite(after)) return null; // never (figures of replay alone)
  const state = readSyncState(db);
  if (state.snapshotCheckedAt && now.getTime() - Date.parse(state.snapshotCheckedAt) < SNAPSHOT_EVERY_MS)
    return null;
  if (countMessagesAfterAtMost(db, state.snapshotTime ?? '', after) < after) return null;
  const snapshot = await latestOf(link);
  writeSyncState(db, { snapshotCheckedAt: now.toISOString() });
  if (snapshot && countMessagesAfterAtMost(db, snapshot.time, after) < after) {
    writeSyncState(db, { snapshotTime: snapshot.time });
    return null;
  }
  const info = await publishSnapshot(db, syncKey, link);
  writeSyncState(db, { snapshotTime: info.time });
  return info;
}
