import fs from 'node:fs';
import {
  databasePath,
  isPlaintextDatabase,
  openSqliteFile,
  type DataKey,
  type Db,
} from '../../db/connection.js';
import { LATEST_VERSION } from '../../db/migrate.js';
import {
  foreignKeyProblems,
  hasPhotoFileColumns,
  integrityCheck,
  journalMode,
  liveCount,
  rowCount,
  schemaVersion,
} from '../../db/health.js';
import { referencedPhotoFiles, unsealedPhotos } from '../../db/photos.js';
import { photoStore } from '../services/photoStore.js';

interface CheckReport {
  ok: boolean;
  lines: string[];
}

/**
 * Read-only health check of a data directory: it never migrates or writes, so it is safe to run
 * against a clinic's live data or a copy of a damaged one.
 */
export function checkDataDir(dataDir: string, key: DataKey | null): CheckReport {
  const file = databasePath(dataDir);
  const lines: string[] = [];
  if (!fs.existsSync(file)) return { ok: false, lines: [`No NeedleLog database at ${file}.`] };
  let ok = true;
  let db: Db | undefined;
  try {
    const plain = isPlaintextDatabase(file);
    db = openSqliteFile(file, plain ? null : key, { readonly: true, fileMustExist: true });
    lines.push(
      plain
        ? 'encryption: NOT ENCRYPTED (run "needlelog encrypt")'
        : 'encryption: database encrypted (SQLCipher 4)',
    );
    const version = schemaVersion(db);
    if (version > LATEST_VERSION) {
      ok = false;
      lines.push(
        `schema: version ${version} is newer than this app supports (${LATEST_VERSION}): update NeedleLog.`,
      );
    } else if (version === 0) {
      ok = false;
      lines.push('schema: not a NeedleLog database (no schema version).');
    } else {
      lines.push(
        version === LATEST_VERSION
          ? `schema: version ${version} (current)`
          : `schema: version ${version} (will be upgraded to ${LATEST_VERSION} when NeedleLog opens it)`,
      );
    }
    lines.push(`journal mode: ${journalMode(db)}`);

    const integrity = integrityCheck(db);
    const integrityOk = integrity.length === 1 && integrity[0] === 'ok';
    if (!integrityOk) ok = false;
    lines.push(
      integrityOk
        ? 'integrity: ok'
        : `integrity: ${integrity.length} problem(s): ${integrity.slice(0, 5).join('; ')}`,
    );

    const fk = foreignKeyProblems(db);
    if (fk.length > 0) ok = false;
    lines.push(
      fk.length === 0
        ? 'foreign keys: ok'
        : `foreign keys: ${fk.length} broken reference(s), e.g. ${fk
            .slice(0, 5)
            .map((r) => `${r.table} row ${r.rowid} → ${r.parent}`)
            .join(', ')}`,
    );

    if (version >= 1 && version <= LATEST_VERSION) {
      lines.push(
        `records: ${liveCount(db, 'clients')} clients, ` +
          `${liveCount(db, 'courses')} courses, ` +
          `${liveCount(db, 'sessions')} sessions, ` +
          `${rowCount(db, 'audit_log')} audit entries`,
      );
      const photos = checkPhotos(db, dataDir);
      if (!photos.ok) ok = false;
      lines.push(photos.line);
    }
  } catch (err) {
    ok = false;
    lines.push(`could not read the database: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    db?.close();
  }
  return { ok, lines };
}

/** Every photo row has its (encrypted) files, and every stored file belongs to a row. */
function checkPhotos(db: Db, dataDir: string): { ok: boolean; line: string } {
  const store = photoStore(dataDir);
  const hasFileColumns = hasPhotoFileColumns(db);
  const referenced = hasFileColumns ? referencedPhotoFiles(db) : new Set<string>();
  const unsealed = hasFileColumns ? unsealedPhotos(db).length : rowCount(db, 'photos');
  const stored = new Set(store.listFileIds());
  const missing = [...referenced].filter((h) => !store.has(h));
  const orphaned = [...stored].filter((h) => !referenced.has(h));
  if (missing.length === 0 && orphaned.length === 0 && unsealed === 0) {
    return { ok: true, line: `photos: ${referenced.size} stored, all present (encrypted)` };
  }
  const parts = [];
  if (missing.length > 0) parts.push(`${missing.length} missing on disk (e.g. ${missing[0]?.slice(0, 12)}…)`);
  if (orphaned.length > 0) parts.push(`${orphaned.length} file(s) no record points to`);
  if (unsealed > 0) parts.push(`${unsealed} not encrypted yet (run "needlelog encrypt")`);
  return { ok: false, line: `photos: ${parts.join('; ')}` };
}
