import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { AppError } from '../errors.js';

/*
 * Reading an archive bundle's zip without trusting it: strict names, checked sizes, a cap on the
 * number of entries, and entries read whole only up to a limit.
 */

/** Limits that keep a crafted archive from filling the disk or memory. */
export const IMPORT_LIMITS = {
  manifestBytes: 64 * 1024 * 1024,
  /** records.json is parsed whole; V8 strings stop a little above 500 MB. */
  recordsBytes: 400 * 1024 * 1024,
  fileBytes: 2 * 1024 * 1024 * 1024,
  totalBytes: 64 * 1024 * 1024 * 1024,
  entries: 1_000_000,
};

const SAFE_PATH = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
/** A refusal: the bundle is not imported, and the message says why. */
export function refuse(message: string): AppError {
  return new AppError('invalid_input', `${message} Nothing was imported.`);
}

export function safePath(name: string): boolean {
  return name.length <= 255 && SAFE_PATH.test(name) && !name.split('/').some((s) => s === '.' || s === '..');
}

export interface ZipEntry {
  name: string;
  size: number;
  entry: yauzl.Entry;
}

export function openZip(source: string | Buffer): Promise<yauzl.ZipFile> {
  const options: yauzl.Options = {
    lazyEntries: true,
    autoClose: false,
    strictFileNames: true,
    validateEntrySizes: true,
  };
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip: yauzl.ZipFile) => (err ? reject(err) : resolve(zip));
    if (typeof source === 'string') yauzl.open(source, options, done);
    else yauzl.fromBuffer(source, options, done);
  });
}

export function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      if (entries.length > IMPORT_LIMITS.entries) reject(new Error('too many entries'));
      else zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream))),
  );
}

/** Reads an entry whole (for the manifest), refusing more than `limit` bytes. */
export async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  if (entry.uncompressedSize > limit) throw refuse(`${entry.fileName} is too large.`);
  const chunks: Buffer[] = [];
  for await (const chunk of await openEntry(zip, entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Copies an entry to `file` while hashing it; returns the SHA-256. */
export async function extractEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
  try {
    for await (const chunk of await openEntry(zip, entry)) {
      hash.update(chunk as Buffer);
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  } finally {
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  }
  return hash.digest('hex');
}
