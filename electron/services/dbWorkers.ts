import { Worker } from 'node:worker_threads';
import { DamagedDatabaseError, isDamageCode, type DataKey } from '../../db/connection.js';
import type { RecordCounts } from './backups.js';

/** What a worker does with the database `file`, on a connection of its own opened with `key`. */
export type DbWorkerRequest = {
  file: string;
  /** The clinic's data key (null: a plain-text database). */
  key: Uint8Array | null;
} & ({ op: 'check' } | { op: 'snapshot'; target: string });
export type DbWorkerReply =
  | { result: string; facts?: { schemaVersion: number; counts: RecordCounts } }
  | { failed: string; code: string | null };

/** In the built app the worker is out/main/dbWorker.js; from sources (tsx, vitest) the .ts file. */
function newWorker(): Worker {
  const here = import.meta.url;
  // `here`, not `import.meta.url` inline (see photoWorkers.ts: Vite rewrites the inline form).
  return here.endsWith('.ts')
    ? new Worker(new URL('./dbWorkerFromSource.mjs', here))
    : new Worker(new URL('./dbWorker.js', import.meta.url));
}

/** Runs one task on a worker thread of its own; resolves with its reply. */
function runInWorker(request: DbWorkerRequest): Promise<DbWorkerReply> {
  return new Promise((resolve, reject) => {
    const worker = newWorker();
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      fn();
    };
    worker.once('message', (reply: DbWorkerReply) => settle(() => resolve(reply)));
    worker.once('error', (err) => settle(() => reject(err)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`The database worker stopped (exit code ${code}).`))),
    );
    worker.postMessage(request);
  });
}

const keyBytes = (key: DataKey | null) => (key ? new Uint8Array(key) : null);

/**
 * SQLite's quick_check of the database file, on a worker thread with its own read-only connection:
 * resolves when the file is sound, rejects with DamagedDatabaseError when it is not (or with the
 * error that kept the check from running). Seconds for a large clinic, none of them on this thread.
 */
export async function checkDatabaseOffThread(file: string, key: DataKey | null): Promise<void> {
  const reply = await runInWorker({ op: 'check', file, key: keyBytes(key) });
  if ('result' in reply) {
    if (reply.result !== 'ok') throw new DamagedDatabaseError(file, reply.result);
  } else if (reply.code && isDamageCode(reply.code)) {
    throw new DamagedDatabaseError(file, reply.failed);
  } else {
    throw new Error(`The integrity check could not run: ${reply.failed}`);
  }
}

/** A backup copy of the database `file` into `partial` on a worker thread (backups.ts, copyInto). */
export async function snapshotOffThread(
  file: string,
  key: DataKey | null,
  partial: string,
): Promise<{ schemaVersion: number; counts: RecordCounts }> {
  const reply = await runInWorker({ op: 'snapshot', file, key: keyBytes(key), target: partial });
  if ('failed' in reply) throw new Error(reply.failed);
  if (!reply.facts) throw new Error('The database worker returned no copy.');
  return reply.facts;
}
