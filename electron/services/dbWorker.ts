/**
 * A database worker thread (started by dbWorkers.ts): long whole-file work on a connection of its
 * own, so that neither host's event loop waits on it. One task per thread: the integrity check a
 * clinic gets when it opens, or a backup copy (VACUUM INTO, then checked).
 */
import { parentPort } from 'node:worker_threads';
import { openFileReader } from '../../db/connection.js';
import { quickCheck } from '../../db/health.js';
import type { DbWorkerReply, DbWorkerRequest } from './dbWorkers.js';
import { copyInto } from './backups.js';

const port = parentPort;
if (!port) throw new Error('dbWorker.ts runs as a worker thread only');

port.once('message', (task: DbWorkerRequest) => {
  let reply: DbWorkerReply;
  const key = task.key ? Buffer.from(task.key) : null;
  try {
    if (task.op === 'snapshot') {
      reply = { result: 'ok', facts: copyInto(task.file, key, task.target) };
    } else {
      const db = openFileReader(task.file, key);
      try {
        reply = { result: quickCheck(db) };
      } finally {
        db.close();
      }
    }
  } catch (err) {
    reply = {
      failed: err instanceof Error ? err.message : String(err),
      code: err instanceof Error && 'code' in err ? String(err.code) : null,
    };
  } finally {
    key?.fill(0);
  }
  port.postMessage(reply);
});
