import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { ExportSelectionData } from '../../../contract/exports.js';
import { BUNDLE_TABLES, rawRows, type BundleTable } from '../../../db/exportQueries.js';
import { LATEST_VERSION } from '../../../db/migrate.js';
import type { ServiceContext } from '../context.js';
import { Readable, type Writable } from 'node:stream';
import { photoFileOf } from '../../../db/photos.js';
import { photoStore, PHOTO_VARIANTS } from '../photoStore.js';
import { sealBundleStream } from './bundleEnvelope.js';
import type { ScryptParams } from '../keySlots.js';
import {
  exportsDir,
  finishFile,
  hashStream,
  scratchFolder,
  type ExportProgress,
  type ScratchFile,
} from './files.js';
import { selectedRecords, type ResolvedSelection, type SelectedRecords } from './selection.js';

/**
 * The archive bundle: one .zip, encrypted as a whole (bundleEnvelope.ts), holding
 *   records.json   every record of the selection as stored (full rows: ids, timestamps, deleted_at)
 *   <documents>    made by the registered bundle documents (sessions.csv; the PDF report joins here)
 *   photos/<variant>/<ab>/<sha256>.jpg   every size of every photo, named as in the photo store
 *   manifest.json  format and schema version, and every other file with its size and SHA-256
 * `needlelog import` checks the manifest before it reads anything else (importBundle.ts).
 */

export const BUNDLE_FORMAT = 1 as const;

/** The passphrase a bundle is encrypted under (chosen at export; the clinic's by default). */
export interface BundleSecret {
  passphrase: string;
  /** Test-only: cheaper scrypt. */
  scrypt?: ScryptParams;
}

function hashBytes(bytes: Buffer): { sha256: string; bytes: number } {
  return { sha256: crypto.createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}
export const MANIFEST_NAME = 'manifest.json';
export const RECORDS_NAME = 'records.json';

interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

interface BundleManifest {
  app: 'NeedleLog';
  kind: 'export';
  format: typeof BUNDLE_FORMAT;
  schemaVersion: number;
  createdAt: string;
  description: string;
  selection: ExportSelectionData;
  counts: Record<keyof SelectedRecords, number>;
  files: ManifestFile[];
}

/** A file a bundle document maker wrote into the bundle's scratch folder. */
interface BundleDocument {
  /** The name inside the bundle: a plain file name such as "sessions.csv" or "report.pdf". */
  name: string;
  /** The scratch file the maker wrote it into. */
  file: ScratchFile;
}

/**
 * PDF SEAM. A document that goes into every bundle next to records.json and the photos. A maker
 * writes its file into a file of `scratch` (encrypted under a key held in memory, deleted
 * afterwards: no plain copy ever touches the disk) and returns its name inside the bundle, or
 * null when it has nothing for this selection (e.g. a course report for a clinic-wide export).
 * The manifest lists and hashes whatever the makers return; nothing else in the bundle code needs
 * to change. Makers are registered in `bundleDocuments` (formats.ts).
 */
export type BundleDocumentMaker = (
  ctx: ServiceContext,
  selection: ResolvedSelection,
  scratch: ReturnType<typeof scratchFolder>,
  onProgress: ExportProgress,
) => Promise<BundleDocument | null>;

const DOCUMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const RESERVED = new Set([MANIFEST_NAME, RECORDS_NAME, 'photos']);

/** Rows fetched per query while records.json is written. */
const BATCH = 1000;
const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

/** Streams the selected rows, table by table, into records.json; returns the photos seen (hash → a row id). */
async function writeRecords(
  ctx: ServiceContext,
  records: SelectedRecords,
  manifestBase: Omit<BundleManifest, 'files' | 'counts'>,
  out: Writable,
  onProgress: ExportProgress,
): Promise<Map<string, string>> {
  const photoIds = new Map<string, string>();
  const idsOf: Record<BundleTable, string[]> = {
    practitioners: records.practitioners,
    clients: records.clients,
    courses: records.courses,
    sessions: records.sessions,
    session_zones: records.sessions,
    adverse_events: records.adverseEvents,
    photos: records.photos,
    session_signatures: records.signatures,
    session_addenda: records.addenda,
    consent_overrides: records.consentOverrides,
    course_consents: records.consents,
  };
  const total = BUNDLE_TABLES.reduce((n, t) => n + idsOf[t].length, 0);
  let done = 0;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const head = {
    app: manifestBase.app,
    kind: 'records',
    format: BUNDLE_FORMAT,
    schemaVersion: manifestBase.schemaVersion,
    createdAt: manifestBase.createdAt,
  };
  await write(`${JSON.stringify(head).slice(0, -1)},"tables":{`);
  for (const [t, table] of BUNDLE_TABLES.entries()) {
    await write(`${t > 0 ? ',' : ''}\n${JSON.stringify(table)}:[`);
    const ids = idsOf[table];
    let first = true;
    for (let i = 0; i < ids.length; i += BATCH) {
      const rows = rawRows(ctx.db, table, ids.slice(i, i + BATCH));
      if (table === 'photos') rows.forEach((r) => photoIds.set(String(r.sha256), String(r.id)));
      if (rows.length > 0) {
        await write(`${first ? '' : ','}\n${rows.map((r) => JSON.stringify(r)).join(',\n')}`);
        first = false;
      }
      done += Math.min(BATCH, ids.length - i);
      onProgress({ done, total, label: 'Collecting the records' });
      await yieldToLoop();
    }
    await write(']');
  }
  await write('\n}}\n');
  out.end();
  await once(out, 'finish');
  return photoIds;
}

/**
 * Writes the bundle of a selection to `outFile` (whole or not at all). `documents` are the
 * registered document makers; each one's file is listed in the manifest like every other file.
 */
export async function writeBundle(
  ctx: ServiceContext,
  selection: ResolvedSelection,
  outFile: string,
  documents: readonly BundleDocumentMaker[],
  onProgress: ExportProgress = () => {},
  secret: BundleSecret,
): Promise<{ manifest: BundleManifest }> {
  const staging = path.join(exportsDir(ctx.dataDir), `.bundle-${crypto.randomBytes(8).toString('hex')}`);
  await fs.promises.mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    const records = selectedRecords(ctx, selection);
    const base = {
      app: 'NeedleLog' as const,
      kind: 'export' as const,
      format: BUNDLE_FORMAT,
      schemaVersion: LATEST_VERSION,
      createdAt: ctx.now().toISOString(),
      description: selection.description,
      selection: selection.selection,
    };
    // records.json, the CSV and the PDF wait in scratch files, encrypted: nothing plain on disk.
    const scratch = scratchFolder(staging);
    const recordsFile = scratch.file(RECORDS_NAME);
    const photoIds = await writeRecords(ctx, records, base, recordsFile.createWriteStream(), onProgress);

    // [path inside the bundle, scratch file or photo bytes decrypted on demand, compress?]
    const entries: [string, ScratchFile | (() => Promise<Buffer>), boolean][] = [
      [RECORDS_NAME, recordsFile, true],
    ];
    for (const make of documents) {
      const doc = await make(ctx, selection, scratch, onProgress);
      if (!doc) continue;
      if (!DOCUMENT_NAME.test(doc.name) || RESERVED.has(doc.name) || entries.some(([p]) => p === doc.name)) {
        throw new Error(`A bundle document cannot be named "${doc.name}".`);
      }
      entries.push([doc.name, doc.file, !/\.(pdf|jpe?g|png|zip)$/i.test(doc.name)]);
    }

    // Photos go in decrypted in memory only, one at a time, read from the store when the zip needs them.
    const store = photoStore(ctx.dataDir);
    for (const sha of [...photoIds.keys()].sort()) {
      const ref = photoFileOf(ctx.db, photoIds.get(sha) as string);
      for (const variant of PHOTO_VARIANTS) {
        if (!ref || !fs.existsSync(store.pathOf(ref.fileId, variant))) {
          throw new Error(
            `The ${variant} file of photo ${sha.slice(0, 12)}… is missing from the photo store; run "needlelog check".`,
          );
        }
        entries.push([
          `photos/${variant}/${sha.slice(0, 2)}/${sha}.jpg`,
          () => store.read(ref, variant),
          false,
        ]);
      }
    }

    const files: ManifestFile[] = [];
    for (const [i, [name, source]] of entries.entries()) {
      const { sha256, bytes } =
        typeof source === 'function'
          ? hashBytes(await source())
          : await hashStream(source.createReadStream());
      if (name.startsWith('photos/full/') && !name.endsWith(`${sha256}.jpg`)) {
        throw new Error(
          `Photo ${name} does not match its name: the photo store is damaged; run "needlelog check".`,
        );
      }
      files.push({ path: name, bytes, sha256 });
      onProgress({ done: i + 1, total: entries.length, label: 'Checksumming the files' });
    }
    const counts = Object.fromEntries(
      Object.entries(records).map(([k, ids]) => [k, (ids as string[]).length]),
    ) as BundleManifest['counts'];
    const manifest: BundleManifest = { ...base, counts, files };

    onProgress({ done: 0, total: 1, label: 'Writing the archive' });
    await finishFile(outFile, async (tmp) => {
      const zip = new yazl.ZipFile();
      // Each entry is read (decrypted in memory) only when the zip comes to it.
      for (const [name, source, compress] of entries) {
        const chunks =
          typeof source === 'function'
            ? (async function* () {
                yield await source();
              })()
            : (async function* () {
                yield* source.createReadStream() as AsyncIterable<Buffer>;
              })();
        zip.addReadStream(Readable.from(chunks), name, { compress });
      }
      zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), MANIFEST_NAME, { compress: true });
      zip.end();
      // Only the envelope's ciphertext reaches the file.
      await pipeline(
        zip.outputStream,
        await sealBundleStream(secret.passphrase, secret.scrypt),
        fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 }),
      );
    });
    onProgress({ done: 1, total: 1, label: 'Writing the archive' });
    return { manifest };
  } finally {
    await fs.promises.rm(staging, { recursive: true, force: true });
  }
}
