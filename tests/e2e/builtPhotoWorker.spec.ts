import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import type { WorkerReply } from '../../electron/services/photoWorkers.js';
import { jpegAppMarkers, sidewaysJpegWithGps } from '../support/images.js';

// The Electron app starts its photo worker from the build (out/main/photoWorker.js), where the
// tests and the browser host start it from sources. This checks the built entry itself: that it
// finds the chunks it shares with index.js and loads sharp, and runs the privacy pipeline.

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('the built photo worker turns a camera photo upright and strips its metadata', async () => {
  const worker = new Worker(path.join(repo, 'out', 'main', 'photoWorker.js'));
  try {
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      void sidewaysJpegWithGps().then((bytes) => worker.postMessage({ id: 7, bytes }));
    });
    expect(reply.id).toBe(7);
    if (!('photo' in reply))
      throw new Error(`the worker did not process the photo: ${JSON.stringify(reply)}`);
    const full = Buffer.from(reply.photo.full);
    const meta = await sharp(full).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 100, 200]);
    expect(meta.exif).toBeUndefined();
    expect(jpegAppMarkers(full)).not.toContain(0xe1);
    expect(reply.photo.takenAt).toBe('2026-03-02T10:15:00');
  } finally {
    await worker.terminate();
  }
});
