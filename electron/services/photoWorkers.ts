import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ApiError } from '../../contract/result.js';
import { AppError } from './appError.js';
import type { ProcessedPhoto } from './photoPipeline.js';
import { checkPhotoFile } from './photoFile.js';

/*
 * The photo pipeline runs in a pool of worker threads, one per core, so that decoding and encoding
 * a batch of phone photos uses every core and neither host's event loop (the Electron main process,
 * the browser host's server) waits on it. Workers start on first use and stay while the process
 * runs, without keeping it alive.
 */

export interface WorkerRequest {
  id: number;
  bytes: Uint8Array;
}
export type WorkerReply =
  { id: number; photo: ProcessedPhoto } | { id: number; refused: ApiError } | { id: number; failed: string };

interface Task {
  id: number;
  bytes: Uint8Array;
  resolve: (p: ProcessedPhoto) => void;
  reject: (e: Error) => void;
}

/**
 * In the built app the worker is out/main/photoWorker.js, beside the chunk this code was bundled
 * into. From sources (tsx, vitest) it is the .ts file, started by photoWorkerFromSource.mjs.
 */
function newWorker(): Worker {
  const here = import.meta.url;
  // `here`, not `import.meta.url` inline: Vite rewrites `new URL('…', import.meta.url)` into a web
  // address when it serves a module to a page-like environment (the jsdom UI tests run services too).
  return here.endsWith('.ts')
    ? new Worker(new URL('./photoWorkerFromSource.mjs', here))
    : new Worker(new URL('./photoWorker.js', import.meta.url));
}

function createPool(size: number) {
  const queue: Task[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Task>();
  let workers = 0;
  let nextId = 1;

  function start(): Worker {
    const worker = newWorker();
    workers++;
    worker.on('message', (reply: WorkerReply) => {
      const task = busy.get(worker);
      busy.delete(worker);
      if (task && task.id === reply.id) {
        if ('photo' in reply) {
          // Buffers arrive as plain Uint8Arrays: give them Buffer's methods again, without a copy.
          const p = reply.photo;
          const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
          task.resolve({ ...p, full: buf(p.full), preview: buf(p.preview), thumb: buf(p.thumb) });
        } else if ('refused' in reply) {
          task.reject(new AppError(reply.refused.code, reply.refused.message, reply.refused.field));
        } else {
          task.reject(new Error(`The photo worker failed: ${reply.failed}`));
        }
      }
      release(worker);
    });
    // A worker that dies (out of memory on a crafted file, a native crash) fails its task only.
    worker.on('error', (err) => {
      const task = busy.get(worker);
      busy.delete(worker);
      task?.reject(err);
    });
    worker.on('exit', () => {
      workers--;
      const task = busy.get(worker);
      busy.delete(worker);
      task?.reject(new Error('The photo worker stopped.'));
      const i = idle.indexOf(worker);
      if (i >= 0) idle.splice(i, 1);
      dispatch();
    });
    return worker;
  }

  function release(worker: Worker): void {
    idle.push(worker);
    worker.unref();
    dispatch();
  }

  function dispatch(): void {
    while (queue.length > 0) {
      const worker = idle.pop() ?? (workers < size ? start() : undefined);
      if (!worker) return;
      const task = queue.shift()!;
      busy.set(worker, task);
      worker.ref(); // a task in flight keeps the process alive until it is answered
      const req: WorkerRequest = { id: task.id, bytes: task.bytes };
      worker.postMessage(req);
    }
  }

  return {
    run(bytes: Uint8Array): Promise<ProcessedPhoto> {
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, bytes, resolve, reject });
        dispatch();
      });
    },
  };
}

let pool: ReturnType<typeof createPool> | null = null;

/**
 * The privacy pipeline (photoPipeline.processPhotoHere) on a worker thread. The cheap checks (size,
 * format) run here first, so a refused file never waits for a worker.
 */
export function processPhoto(bytes: Uint8Array): Promise<ProcessedPhoto> {
  checkPhotoFile(bytes);
  pool ??= createPool(Math.max(1, os.availableParallelism()));
  return pool.run(bytes);
}
