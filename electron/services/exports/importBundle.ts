import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import type { EntityCounts, ImportReport } from '../../../contract/exports.js';
import { getAdverseEvent } from '../../../db/adverseEvents.js';
import { getClient } from '../../../db/clients.js';
import { getCourse } from '../../../db/courses.js';
import {
  BUNDLE_TABLES,
  IMMUTABLE_BUNDLE_TABLES,
  LATER_BUNDLE_COLUMNS,
  tableColumns,
  type BundleTable,
  type RawRow,
} from '../../../db/exportQueries.js';
import { LATEST_VERSION } from '../../../db/migrate.js';
import { getPhoto, photoFileOf, setPhotoFile } from '../../../db/photos.js';
import { getPractitioner } from '../../../db/practitioners.js';
import { getSession } from '../../../db/sessions.js';
import { replaceZones, rowWriter, storedRow, storedZones } from '../../../db/bundleImport.js';
import { isSigned } from '../../../db/signing.js';
import { audit, inTransaction, nowIso, type ServiceContext } from '../context.js';
import { AppError } from '../errors.js';
import { photoStore, type PhotoFileRef } from '../photoStore.js';
import { fileAddendum, unaccountedChanges } from '../signing.js';
import { validateBundleRecords } from './bundleRecords.js';
import { RECORDS_NAME } from './exportBundle.js';
import { exportsDir, type ExportProgress } from './files.js';
import { IMPORT_LIMITS, openZip, refuse } from './bundleZip.js';
import { Records, verifyBundle } from './verifyBundle.js';

export { IMPORT_LIMITS };

/**
 * Imports an archive bundle into this clinic. Nothing is written until the whole bundle is
 * verified: the manifest is read first, every entry must be a safe relative name listed in it
 * (and every listed file present), sizes must be sane, each file's SHA-256 must match, and every
 * record must pass the API's own rules (bundleRecords.ts). Then photo files go durably into the
 * photo store, and the records are merged by id in one
 * transaction: a missing record is inserted (audited "create"); a record present here that differs
 * is replaced only when the bundle's `updated_at` is newer (audited "update", before → after);
 * otherwise it is left alone. Importing the same bundle twice changes nothing the second time.
 */

const ENTITY: Record<
  Exclude<BundleTable, 'session_zones'>,
  { entity: string; key: keyof EntityCounts | 'signedRecords' }
> = {
  practitioners: { entity: 'practitioner', key: 'practitioners' },
  clients: { entity: 'client', key: 'clients' },
  courses: { entity: 'course', key: 'courses' },
  sessions: { entity: 'session', key: 'sessions' },
  adverse_events: { entity: 'adverse_event', key: 'adverseEvents' },
  photos: { entity: 'photo', key: 'photos' },
  session_signatures: { entity: 'session_signature', key: 'signedRecords' },
  session_addenda: { entity: 'session_addendum', key: 'signedRecords' },
  consent_overrides: { entity: 'consent_override', key: 'signedRecords' },
  course_consents: { entity: 'course_consent', key: 'signedRecords' },
};

/** The record as the rest of the app (and its history panel) sees it, for audit rows. */
function readRecord(ctx: ServiceContext, table: BundleTable, id: string): unknown {
  switch (table) {
    case 'practitioners':
      return getPractitioner(ctx.db, id);
    case 'clients':
      return getClient(ctx.db, id);
    case 'courses':
      return getCourse(ctx.db, id);
    case 'sessions':
      return getSession(ctx.db, id);
    case 'adverse_events':
      return getAdverseEvent(ctx.db, id);
    case 'photos':
      return getPhoto(ctx.db, id);
    case 'session_zones':
      return undefined;
    default:
      // Signed records: the row as stored (they are never changed, so there is no "before").
      return storedRow(ctx.db, table, id);
  }
}

const zeroCounts = (): EntityCounts => ({
  practitioners: 0,
  clients: 0,
  courses: 0,
  sessions: 0,
  adverseEvents: 0,
  photos: 0,
});

type Tables = Record<BundleTable, RawRow[]>;

/** Checks that the rows fit this database: exactly its columns, ids present, zones of bundled sessions. */
function checkRows(ctx: ServiceContext, tables: Tables): Record<BundleTable, string[]> {
  const columns = {} as Record<BundleTable, string[]>;
  for (const table of BUNDLE_TABLES) {
    const cols = tableColumns(ctx.db, table);
    columns[table] = cols;
    const want = new Set(cols);
    const later = (LATER_BUNDLE_COLUMNS[table] ?? []).filter((c) => want.has(c));
    for (const row of tables[table]) {
      for (const c of later) if (!(c in row)) row[c] = null;
      const keys = Object.keys(row);
      if (keys.length !== want.size || keys.some((k) => !want.has(k))) {
        throw refuse(
          `The bundle's ${table} rows do not have the columns this NeedleLog stores (made by another version?).`,
        );
      }
      if (table !== 'session_zones' && typeof row.id !== 'string') throw refuse(`A ${table} row has no id.`);
    }
  }
  const sessionIds = new Set(tables.sessions.map((s) => s.id));
  if (tables.session_zones.some((z) => !sessionIds.has(z.session_id as string))) {
    throw refuse('The bundle has needle depths of a session it does not carry.');
  }
  return columns;
}

/**
 * A signed session is never changed silently, by an import neither. Before the merge this notes,
 * for each signed session the bundle touches, what its signature and addenda already left
 * unaccounted for; after it, a change they do not account for (the session was edited where the
 * bundle was made while it was signed here, or signed there and edited here) gets an addendum by
 * the importing practitioner, with each value as accounted for and as it now stands. A session
 * that came in with its signature, already differing from it without an addendum, means the
 * bundle was altered: the import is refused. Runs inside the merge's transaction.
 */
function guardSignedSessions(ctx: ServiceContext, tables: Tables, madeAt: string) {
  const ids = new Set([
    ...tables.sessions.map((r) => r.id as string),
    ...tables.session_signatures.map((r) => r.session_id as string),
    ...tables.session_addenda.map((r) => r.session_id as string),
  ]);
  const before = new Map<string, { existed: boolean; gap: Record<string, unknown> }>();
  for (const id of ids) {
    const existed = isSigned(ctx.db, id) || getSession(ctx.db, id) !== undefined;
    const session = isSigned(ctx.db, id) ? getSession(ctx.db, id) : undefined;
    before.set(id, { existed, gap: (session && unaccountedChanges(ctx, session)?.after) ?? {} });
  }
  return (at: string): number => {
    let filed = 0;
    for (const id of ids) {
      const session = isSigned(ctx.db, id) ? getSession(ctx.db, id) : undefined;
      const gap = session && unaccountedChanges(ctx, session);
      if (!session || !gap) continue;
      const was = before.get(id) as { existed: boolean; gap: Record<string, unknown> };
      const keys = Object.keys(gap.after).filter(
        (k) => !(k in was.gap) || JSON.stringify(was.gap[k]) !== JSON.stringify(gap.after[k]),
      );
      if (keys.length === 0) continue;
      const what = `Session ${session.number} of ${session.performedAt.slice(0, 10)} (${id})`;
      if (!was.existed) {
        throw refuse(
          `${what} in the bundle differs from its signed record (${keys.join(', ')}) and no addendum says why: the bundle was altered after it was made.`,
        );
      }
      const pick = (o: Record<string, unknown>) => Object.fromEntries(keys.map((k) => [k, o[k]]));
      fileAddendum(
        ctx,
        id,
        { before: pick(gap.before), after: pick(gap.after) },
        `Imported from an archive bundle made ${madeAt}: the signed session was changed where the bundle was made, without an addendum there.`,
        at,
      );
      filed += 1;
    }
    return filed;
  };
}

function merge(
  ctx: ServiceContext,
  tables: Tables,
  columns: Record<BundleTable, string[]>,
  madeAt: string,
): Omit<ImportReport, 'photoFiles'> {
  const created = zeroCounts();
  const updated = zeroCounts();
  let unchanged = 0;
  let signedRecords = 0;
  const zonesOf = new Map<string, RawRow[]>();
  for (const z of tables.session_zones) {
    const list = zonesOf.get(z.session_id as string) ?? [];
    list.push(z);
    zonesOf.set(z.session_id as string, list);
  }
  const zoneCols = columns.session_zones;
  const zoneKey = (z: RawRow) => zoneCols.map((c) => JSON.stringify(z[c])).join(',');
  const sameZones = (id: string) => {
    const here = storedZones(ctx.db, id).map(zoneKey);
    const there = (zonesOf.get(id) ?? []).map(zoneKey).sort();
    return JSON.stringify([...here].sort()) === JSON.stringify(there);
  };
  const writeZones = (id: string) => replaceZones(ctx.db, id, zoneCols, zonesOf.get(id) ?? []);

  let signedChanged = 0;
  inTransaction(ctx, () => {
    const at = nowIso(ctx);
    const checkSigned = guardSignedSessions(ctx, tables, madeAt);
    for (const table of BUNDLE_TABLES) {
      if (table === 'session_zones') continue;
      const cols = columns[table];
      const { entity, key } = ENTITY[table];
      // Column names come from this database's own schema (PRAGMA table_info), never from the bundle.
      const write = rowWriter(ctx.db, table, cols);
      for (const row of tables[table]) {
        const id = row.id as string;
        const existing = storedRow(ctx.db, table, id);
        if (!existing) {
          write.insert(row);
          if (table === 'sessions') writeZones(id);
          audit(ctx, entity, id, 'create', null, readRecord(ctx, table, id), at);
          if (key === 'signedRecords') signedRecords += 1;
          else created[key] += 1;
          continue;
        }
        // A signed record is never changed: one already here stays exactly as it is.
        if (IMMUTABLE_BUNDLE_TABLES.has(table)) {
          unchanged += 1;
          continue;
        }
        const same = cols.every((c) => existing[c] === row[c]) && (table !== 'sessions' || sameZones(id));
        const newer = String(row.updated_at) > String(existing.updated_at);
        if (same || !newer) {
          unchanged += 1;
          continue;
        }
        const before = readRecord(ctx, table, id);
        write.update(row);
        if (table === 'sessions') writeZones(id);
        audit(ctx, entity, id, 'update', before, readRecord(ctx, table, id), at);
        if (key !== 'signedRecords') updated[key] += 1;
      }
    }
    signedChanged = checkSigned(at);
  });
  return { created, updated, unchanged, signedRecords, signedChanged };
}

/**
 * Imports a bundle (a file path, or the bytes of an upload). Throws an AppError that says why
 * when the bundle is refused; in that case nothing was written.
 */
export async function importBundle(
  ctx: ServiceContext,
  source: string | Buffer,
  onProgress: ExportProgress = () => {},
): Promise<ImportReport> {
  const staging = path.join(exportsDir(ctx.dataDir), `.import-${crypto.randomBytes(8).toString('hex')}`);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(source);
  } catch (err) {
    throw refuse(
      `The file is not a readable zip archive (${err instanceof Error ? err.message : String(err)}).`,
    );
  }
  await fs.promises.mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    const { manifest, files } = await verifyBundle(zip, staging, onProgress);

    let tables: Tables;
    try {
      const parsed = Records.parse(
        JSON.parse(await fs.promises.readFile(files.get(RECORDS_NAME) as string, 'utf8')),
      );
      if (parsed.schemaVersion > LATEST_VERSION) throw new Error('newer schema');
      tables = parsed.tables as Tables;
    } catch {
      throw refuse(`The bundle's ${RECORDS_NAME} is not NeedleLog records this version can read.`);
    }
    const columns = checkRows(ctx, tables);
    // Held to the API's own rules before a single photo or row is written.
    tables = validateBundleRecords(tables, columns, refuse);

    // Every photo row new to this clinic needs its three files. A full-size image from the bundle
    // must be a clean JPEG (no EXIF/GPS, XMP, IPTC or ICC), exactly as the photo pipeline stores
    // it; the thumbnail and preview are made here from it, never taken from the bundle. Each is
    // sealed under its own new key before it touches the disk.
    const store = photoStore(ctx.dataDir);
    const needed = tables.photos.filter((p) => !photoFileOf(ctx.db, String(p.id)));
    const refs = new Map<string, PhotoFileRef>();
    // Files first, durably; then the rows that point to them, in one transaction. A failure in
    // between leaves only unreferenced encrypted files, which `needlelog check` reports.
    // sharp with it, loaded when a bundle brings photos, not at every start.
    const { isCleanStoredPhoto, smallerSizes } = await import('../photoPipeline.js');
    for (const [i, row] of needed.entries()) {
      const sha = String(row.sha256);
      if (!/^[0-9a-f]{64}$/.test(sha)) throw refuse('A photo record in the bundle has an invalid hash.');
      const inBundle = files.get(`photos/full/${sha.slice(0, 2)}/${sha}.jpg`);
      if (!inBundle) throw refuse(`The bundle lacks photo ${sha.slice(0, 12)}….`);
      const full = await fs.promises.readFile(inBundle);
      if (!(await isCleanStoredPhoto(full))) {
        throw refuse(
          `Photo ${sha.slice(0, 12)}… in the bundle is not a clean NeedleLog photo (it carries metadata).`,
        );
      }
      const ref = store.newRef();
      await store.put(ref, { full, ...(await smallerSizes(full)) });
      refs.set(String(row.id), ref);
      onProgress({ done: i + 1, total: needed.length, label: 'Copying photos' });
    }
    try {
      const report = inTransaction(ctx, () => {
        const merged = merge(ctx, tables, columns, manifest.createdAt);
        for (const [id, ref] of refs) if (getPhoto(ctx.db, id)) setPhotoFile(ctx.db, id, ref);
        return merged;
      });
      return { ...report, photoFiles: needed.length };
    } catch (err) {
      for (const ref of refs.values()) store.remove(ref.fileId);
      if (err instanceof AppError) throw err;
      if (err instanceof Error && 'code' in err && String(err.code).startsWith('SQLITE_CONSTRAINT')) {
        throw refuse(
          `The bundle's records do not fit this clinic (${err.message.replace(/^.*?: /, '')}); a record it refers to is missing.`,
        );
      }
      throw err;
    }
  } finally {
    (zip as unknown as { close(): void }).close();
    await fs.promises.rm(staging, { recursive: true, force: true });
  }
}
