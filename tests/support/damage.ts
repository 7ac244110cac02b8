import crypto from 'node:crypto';
import fs from 'node:fs';
import { databasePath } from '../../db/connection.js';

/**
 * Overwrites two pages in the middle of the clinic database in `dir` (opening reads neither, the
 * integrity check finds them); returns how to hash the file, to show that nothing is written after.
 */
export function damageMiddlePages(dir: string): () => string {
  const fd = fs.openSync(databasePath(dir), 'r+');
  const pages = Math.floor(fs.fstatSync(fd).size / 4096);
  fs.writeSync(fd, Buffer.alloc(4096 * 2, 0xa5), 0, 4096 * 2, Math.floor(pages / 2) * 4096);
  fs.closeSync(fd);
  return () =>
    crypto
      .createHash('sha256')
      .update(fs.readFileSync(databasePath(dir)))
      .digest('hex');
}
