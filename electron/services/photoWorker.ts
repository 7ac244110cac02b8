/**
 * A photo worker thread (started by photoWorkers.ts): runs the privacy pipeline for one file at a
 * time and hands the encoded bytes back without copying them.
 */
import { parentPort } from 'node:worker_threads';
import { AppError } from './appError.js';
import { processPhotoHere } from './photoPipeline.js';
import type { WorkerReply, WorkerRequest } from './photoWorkers.js';

const port = parentPort;
if (!port) throw new Error('photoWorker.ts runs as a worker thread only');

port.on('message', (req: WorkerRequest) => {
  processPhotoHere(req.bytes).then(
    (photo) => {
      const reply: WorkerReply = { id: req.id, photo };
      port.postMessage(reply, [photo.full.buffer, photo.preview.buffer, photo.thumb.buffer] as ArrayBuffer[]);
    },
    (err: unknown) => {
      const reply: WorkerReply =
        err instanceof AppError
          ? { id: req.id, refused: err.toApiError() }
          : { id: req.id, failed: err instanceof Error ? (err.stack ?? err.message) : String(err) };
      port.postMessage(reply);
    },
  );
});
