import fs from 'node:fs';
import { databasePath, openDatabase, type Db } from '../../db/connection.js';

/**
 * Opens the clinic database of a data directory that must already hold one, or says why not (no
 * database there; damaged; written by a newer NeedleLog) and returns null: commands that read
 * records never create an empty clinic by mistake.
 */
export function openExistingClinic(dataDir: string, err: (line: string) => void): Db | null {
  if (!fs.existsSync(databasePath(dataDir))) {
    err(`No NeedleLog database in ${dataDir}.`);
    return null;
  }
  try {
    return openDatabase(dataDir);
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return null;
  }
}
