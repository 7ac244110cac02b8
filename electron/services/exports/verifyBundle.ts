import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { z } from 'zod';
import { BUNDLE_TABLES, LATER_BUNDLE_TABLES, type BundleTable } from '../../../db/exportQueries.js';
import { LATEST_VERSION } from '../../../db/migrate.js';
import { AppError } from '../errors.js';
import { BUNDLE_FORMAT, MANIFEST_NAME, RECORDS_NAME } from './exportBundle.js';
import type { ExportProgress } from './files.js';
import {
  IMPORT_LIMITS,
  extractEntry,
  listEntries,
  readEntry,
  refuse,
  safePath,
  type ZipEntry,
} from './bundleZip.js';

/*
 * The checks an archive bundle passes before a single record is read: its manifest, safe names,
 * sizes, and every file's SHA-256.
 */

const PHOTO_PATH = /^photos\/(full|preview|thumb)\/([0-9a-f]{2})\/([0-9a-f]{64})\.jpg$/;

const Manifest = z.object({
  app: z.literal('NeedleLog'),
  kind: z.literal('export'),
  format: z.literal(BUNDLE_FORMAT),
  schemaVersion: z.number().int().min(1),
  createdAt: z.string(),
  files: z
    .array(
      z.strictObject({
        path: z.string().refine(safePath),
        bytes: z.number().int().min(0).max(IMPORT_LIMITS.fileBytes),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
      }),
    )
    .max(IMPORT_LIMITS.entries),
});
export type Manifest = z.infer<typeof Manifest>;

const Cell = z.union([z.string(), z.number(), z.null()]);
export const Records = z.object({
  app: z.literal('NeedleLog'),
  kind: z.literal('records'),
  format: z.literal(BUNDLE_FORMAT),
  schemaVersion: z.number().int(),
  tables: z.object(
    // A bundle from before signed records has none of their tables: read as empty.
    Object.fromEntries(
      BUNDLE_TABLES.map((t) => {
        const rows = z.array(z.record(z.string(), Cell));
        return [t, LATER_BUNDLE_TABLES.includes(t) ? rows.default([]) : rows];
      }),
    ) as Record<BundleTable, z.ZodArray<z.ZodRecord<z.ZodString, typeof Cell>>>,
  ),
});

/** Opens the bundle and checks everything about it before a single record is read. */
export async function verifyBundle(
  zip: yauzl.ZipFile,
  staging: string,
  onProgress: ExportProgress,
): Promise<{ manifest: Manifest; files: Map<string, string> }> {
  let entries: yauzl.Entry[];
  try {
    entries = await listEntries(zip);
  } catch (err) {
    throw refuse(
      `The bundle cannot be read as a zip archive (${err instanceof Error ? err.message : String(err)}).`,
    );
  }
  const byName = new Map<string, ZipEntry>();
  for (const entry of entries) {
    const name = entry.fileName;
    if (name.endsWith('/') && entry.uncompressedSize === 0 && safePath(name.slice(0, -1))) continue; // folders
    if (!safePath(name))
      throw refuse(`The bundle holds a file with an unsafe name: "${name.slice(0, 120)}".`);
    if (byName.has(name)) throw refuse(`The bundle holds "${name}" twice.`);
    if (entry.isEncrypted()) throw refuse(`"${name}" in the bundle is encrypted.`);
    byName.set(name, { name, size: entry.uncompressedSize, entry });
  }
  const manifestEntry = byName.get(MANIFEST_NAME);
  if (!manifestEntry)
    throw refuse(`This file has no ${MANIFEST_NAME}: it is not a NeedleLog archive bundle.`);

  let manifest: Manifest;
  try {
    const raw = await readEntry(zip, manifestEntry.entry, IMPORT_LIMITS.manifestBytes);
    manifest = Manifest.parse(JSON.parse(raw.toString('utf8')));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw refuse(`The bundle's ${MANIFEST_NAME} is not a NeedleLog export manifest.`);
  }
  if (manifest.schemaVersion > LATEST_VERSION) {
    throw refuse(
      `The bundle was made by a newer NeedleLog (schema ${manifest.schemaVersion}; this one knows up to ${LATEST_VERSION}). Update NeedleLog first.`,
    );
  }

  const listed = new Set<string>();
  let total = 0;
  for (const f of manifest.files) {
    if (f.path === MANIFEST_NAME || listed.has(f.path)) throw refuse(`The manifest lists "${f.path}" twice.`);
    listed.add(f.path);
    const entry = byName.get(f.path);
    if (!entry) throw refuse(`The bundle is incomplete: ${f.path} is listed in the manifest but missing.`);
    if (entry.size !== f.bytes)
      throw refuse(`${f.path} does not have the size the manifest records: the bundle is damaged.`);
    total += f.bytes;
  }
  if (total > IMPORT_LIMITS.totalBytes) throw refuse('The bundle is larger than NeedleLog imports at once.');
  for (const name of byName.keys()) {
    if (name !== MANIFEST_NAME && !listed.has(name)) {
      throw refuse(`The bundle holds "${name.slice(0, 120)}", which its manifest does not list.`);
    }
  }
  if (!listed.has(RECORDS_NAME)) throw refuse(`The bundle has no ${RECORDS_NAME}.`);
  const records = manifest.files.find((f) => f.path === RECORDS_NAME);
  if (records && records.bytes > IMPORT_LIMITS.recordsBytes)
    throw refuse(`${RECORDS_NAME} is too large to import.`);

  // Refuse before unpacking what would not fit: a small, highly compressed bundle can expand to
  // fill the disk the clinic's database and backups live on.
  const unpacked = manifest.files.reduce((n, f) => n + f.bytes, 0);
  const { bavail, bsize } = await fs.promises.statfs(staging);
  if (unpacked > bavail * bsize * 0.8) {
    throw refuse(
      `The bundle unpacks to ${(unpacked / 1024 / 1024).toFixed(0)} MB, more than this disk can spare. Free some space and try again.`,
    );
  }

  const files = new Map<string, string>();
  for (const [i, f] of manifest.files.entries()) {
    const target = path.join(staging, ...f.path.split('/'));
    if (!target.startsWith(staging + path.sep)) throw refuse(`Unsafe file name in the bundle: ${f.path}`);
    let sha: string;
    try {
      sha = await extractEntry(zip, (byName.get(f.path) as ZipEntry).entry, target);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw refuse(`The bundle is damaged: ${f.path} cannot be unpacked.`);
    }
    if (sha !== f.sha256) {
      throw refuse(
        `${f.path} does not match its checksum in the manifest: the bundle is damaged or was altered.`,
      );
    }
    const photo = PHOTO_PATH.exec(f.path);
    if (photo && photo[1] === 'full' && photo[3] !== sha) {
      throw refuse(`${f.path} does not hold the photo its name says.`);
    }
    files.set(f.path, target);
    onProgress({ done: i + 1, total: manifest.files.length, label: 'Checking the bundle' });
  }
  return { manifest, files };
}
