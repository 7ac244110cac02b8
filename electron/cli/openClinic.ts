import fs from 'node:fs';
import { databasePath, openDatabase, type DataKey, type Db } from '../../db/connection.js';

/**
 * Opens the clinic database of a data directory that must already hold one, under its unlocked
 * key, or says why not (no database there; damaged; written by a newer NeedleLog) and returns
 * null: commands that read records never create an empty clinic by mistake.
 */
export function openExistingClinic(dataDir: string, key: DataKey, err: (line: string) => void): Db | null {
  if (!fs.existsSync(databasePath(dataDir))) {
    err(`No NeedleLog database in ${dataDir}.`);
    return null;
  }
  try {
    return openDatabase(dataDir, key);
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return null;
  }
}
