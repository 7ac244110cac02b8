import { Worker } from 'node:worker_threads';
import { DamagedDatabaseError, isDamageCode, type DataKey } from '../../db/connection.js';

export interface DbWorkerRequest {
  file: string;
  /** The clinic's data key (null: a plain-text database); the worker opens its own connection. */
  key: Uint8Array | null;
}
export type DbWorkerReply = { result: string } | { failed: string; code: string | null };

/** In the built app the worker is out/main/dbWorker.js; from sources (tsx, vitest) the .ts file. */
function newWorker(): Worker {
  const here = import.meta.url;
  // `here`, not `import.meta.url` inline (see photoWorkers.ts: Vite rewrites the inline form).
  return here.endsWith('.ts')
    ? new Worker(new URL('./dbWorkerFromSource.mjs', here))
    : new Worker(new URL('./dbWorker.js', import.meta.url));
}

/**
 * SQLite's quick_check of the database file, on a worker thread with its own read-only connection:
 * resolves when the file is sound, rejects with DamagedDatabaseError when it is not (or with the
 * error that kept the check from running). Seconds for a large clinic, none of them on this thread.
 */
export function checkDatabaseOffThread(file: string, key: DataKey | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = newWorker();
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      fn();
    };
    worker.once('message', (reply: DbWorkerReply) =>
      settle(() => {
        if ('result' in reply) {
          if (reply.result === 'ok') resolve();
          else reject(new DamagedDatabaseError(file, reply.result));
        } else if (reply.code && isDamageCode(reply.code)) {
          reject(new DamagedDatabaseError(file, reply.failed));
        } else {
          reject(new Error(`The integrity check could not run: ${reply.failed}`));
        }
      }),
    );
    worker.once('error', (err) => settle(() => reject(err)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`The integrity check stopped (exit code ${code}).`))),
    );
    worker.postMessage({ file, key: key ? new Uint8Array(key) : null } satisfies DbWorkerRequest);
  });
}
