import type { Migration } from './index.js';

/**
 * Photos are stored encrypted, each under its own random key, in files named by a random id
 * instead of their SHA-256 (a hash in a file name tells which photos are equal). Rows made before
 * this have both columns NULL until the encryption upgrade has sealed their files.
 */
const migration: Migration = {
  version: 9,
  name: 'photo-files',
  up(db) {
    db.exec(`
      ALTER TABLE photos ADD COLUMN file_id TEXT;
      ALTER TABLE photos ADD COLUMN file_key BLOB;
      CREATE UNIQUE INDEX photos_file_id ON photos (file_id) WHERE file_id IS NOT NULL;
    `);
  },
};

export default migration;
