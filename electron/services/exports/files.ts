import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable, type Readable } from 'node:stream';

/** Progress of an export or import step, as the jobs forward it. */
export type ExportProgress = (p: { done: number; total: number; label: string }) => void;

async function syncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `file` whole or not at all: `write` fills a temporary file next to it, which is synced
 * and renamed into place. A failed write leaves no partial file behind.
 */
export async function finishFile(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.partial`);
  try {
    await write(tmp);
    await syncFile(tmp);
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/** SHA-256 (hex) and size of what a stream gives. */
export async function hashStream(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** A file in a scratch folder: written once through `createWriteStream`, then read back (decrypted). */
export interface ScratchFile {
  path: string;
  createWriteStream(): Writable;
  /** `highWaterMark`: bytes read from the file at a time (default 64 KiB). */
  createReadStream(highWaterMark?: number): Readable;
}

/**
 * Scratch files for work in progress (the records, CSV and PDF of a bundle being made), each
 * encrypted with AES-256-GCM under a key that exists only in memory: no plain record reaches the
 * disk even for the minutes a clinic-wide export takes, and what a crash leaves behind cannot be
 * read. The caller removes the folder afterwards.
 */
export function scratchFolder(dir: string): { file(name: string): ScratchFile } {
  const key = crypto.randomBytes(32);
  return {
    file(name) {
      const file = path.join(dir, name);
      const iv = crypto.randomBytes(12);
      let tag: Buffer | null = null;
      return {
        path: file,
        createWriteStream() {
          const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
          const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
          const sealed = new Writable({
            write(chunk: Buffer, _encoding, done) {
              if (out.write(cipher.update(chunk))) done();
              else out.once('drain', () => done());
            },
            final(done) {
              out.end(cipher.final(), () => {
                tag = cipher.getAuthTag();
                done();
              });
            },
            destroy(err, done) {
              out.destroy();
              done(err);
            },
          });
          out.on('error', (err) => sealed.destroy(err));
          return sealed;
        },
        createReadStream(highWaterMark) {
          if (!tag) throw new Error(`The scratch file ${name} was not written whole.`);
          // Room for a chunk or two, so the file is read ahead while the last one is used.
          const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, {
            highWaterMark: 2 * (highWaterMark ?? 64 * 1024),
          });
          decipher.setAuthTag(tag);
          const source = fs.createReadStream(file, highWaterMark ? { highWaterMark } : {});
          source.on('error', (err) => decipher.destroy(err));
          // A reader that stops early (a failed merge) destroys the decipher: the file closes too.
          decipher.on('close', () => source.destroy());
          return source.pipe(decipher);
        },
      };
    },
  };
}

/** The default folder for exports: <data-dir>/exports. */
export function exportsDir(dataDir: string): string {
  return path.join(dataDir, 'exports');
}

/** Working folders of exports and imports (exportCsv's sort runs, a bundle's staging, an import's). */
const SCRATCH_NAME = /^\.(csv-sort|bundle|import)-[0-9a-f]{16}$/;
const STALE_SCRATCH_MS = 24 * 3_600_000;

/**
 * Removes the working folders a crashed or killed export or import left in <data-dir>/exports: their
 * files are sealed under keys that died with the process, so they are only dead weight (a
 * clinic-wide bundle's can be gigabytes), and nothing else would ever delete them. Only those
 * untouched for a day, so an export running beside the app (the CLI) keeps its own. Returns how
 * many it removed.
 */
export async function sweepStaleScratch(dataDir: string, now = Date.now()): Promise<number> {
  const dir = exportsDir(dataDir);
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return 0; // no exports yet
  }
  let removed = 0;
  for (const name of names.filter((n) => SCRATCH_NAME.test(n))) {
    const folder = path.join(dir, name);
    const stat = await fs.promises.lstat(folder);
    if (!stat.isDirectory() || now - stat.mtimeMs < STALE_SCRATCH_MS) continue;
    await fs.promises.rm(folder, { recursive: true, force: true });
    removed++;
  }
  return removed;
}
