/**
 * A database worker thread (started by dbWorkers.ts): long whole-file work on a connection of its
 * own, so that neither host's event loop waits on it. One task per thread: the integrity check a
 * clinic gets when it opens.
 */
import { parentPort } from 'node:worker_threads';
import { openSqliteFile } from '../../db/connection.js';
import type { DbWorkerReply, DbWorkerRequest } from './dbWorkers.js';

const port = parentPort;
if (!port) throw new Error('dbWorker.ts runs as a worker thread only');

port.once('message', (task: DbWorkerRequest) => {
  let reply: DbWorkerReply;
  try {
    const key = task.key ? Buffer.from(task.key) : null;
    const db = openSqliteFile(task.file, key, { readonly: true, fileMustExist: true });
    key?.fill(0);
    try {
      db.pragma('busy_timeout = 5000');
      reply = { result: db.pragma('quick_check', { simple: true }) as string };
    } finally {
      db.close();
    }
  } catch (err) {
    reply = {
      failed: err instanceof Error ? err.message : String(err),
      code: err instanceof Error && 'code' in err ? String(err.code) : null,
    };
  }
  port.postMessage(reply);
});
