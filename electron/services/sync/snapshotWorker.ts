/**
 * A snapshot worker thread (started by snapshot.ts, one per job): writes a clinic snapshot from,
 * or loads one into, the clinic database over a connection of its own, so that the seconds a
 * large clinic takes are spent off the thread that serves the window. SQLite's WAL lets the
 * room's own connection go on reading and writing while a snapshot is written.
 */
import { parentPort } from 'node:worker_threads';
import { checkpointPassive, openMoreConnection, pauseAutoCheckpoint } from '../../../db/connection.js';
import { loadSnapshot, writeSnapshot } from '../../../db/sync/snapshot.js';
import type { SnapshotJob, SnapshotJobReply } from './snapshot.js';

const port = parentPort;
if (!port) throw new Error('snapshotWorker.ts runs as a worker thread only');

port.once('message', (job: SnapshotJob) => {
  let reply: SnapshotJobReply;
  const db = openMoreConnection(job.dbFile, job.dataKey ? Buffer.from(job.dataKey) : null);
  try {
    const fileKey = Buffer.from(job.fileKey);
    if (job.op === 'load') pauseAutoCheckpoint(db);
    reply = {
      ok: job.op === 'write' ? writeSnapshot(db, job.file, fileKey) : loadSnapshot(db, job.file, fileKey),
    };
  } catch (err) {
    reply = {
      error:
        err instanceof Error
          ? { name: err.name, message: err.message }
          : { name: 'Error', message: String(err) },
    };
  }
  port.postMessage(reply);
  // After the answer: the room has its rows already; the WAL goes into the file without anyone waiting.
  try {
    if (job.op === 'load') checkpointPassive(db);
  } finally {
    db.close();
  }
});
