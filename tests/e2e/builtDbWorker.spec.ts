import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { expect, test } from '@playwright/test';
import { closeDatabase, databasePath, openDatabase } from '../../db/connection.js';
import type { DbWorkerReply } from '../../electron/services/dbWorkers.js';
import { tempDir, testKeyFor } from '../support/clinic.js';

// The Electron app starts its database worker from the build (out/main/dbWorker.js), where the
// tests and the browser host start it from sources. This checks the built entry itself: that it
// loads the SQLite binding and checks an encrypted clinic, sound and then damaged.

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function check(file: string, key: Buffer): Promise<DbWorkerReply> {
  const worker = new Worker(path.join(repo, 'out', 'main', 'dbWorker.js'));
  return new Promise<DbWorkerReply>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage({ op: 'check', file, key: new Uint8Array(key) });
  }).finally(() => worker.terminate());
}

test('the built database worker checks an encrypted clinic and finds a damaged page', async () => {
  const dir = tempDir();
  const key = testKeyFor(dir);
  const db = openDatabase(dir, key);
  db.exec(`CREATE TABLE filler (x TEXT)`);
  const insert = db.prepare(`INSERT INTO filler VALUES (?)`);
  for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200));
  closeDatabase(db);
  const file = databasePath(dir);
  expect(await check(file, key)).toEqual({ result: 'ok' });

  const fd = fs.openSync(file, 'r+');
  const pages = Math.floor(fs.fstatSync(fd).size / 4096);
  fs.writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(pages / 2) * 4096);
  fs.closeSync(fd);
  const damaged = await check(file, key);
  // quick_check's own finding: the page the codec cannot read (HMAC mismatch), and what hangs off it.
  expect(damaged).toEqual({
    result: expect.stringMatching(/^\*\*\* in database main \*\*\*\n.*unable to get the page/),
  });
});
